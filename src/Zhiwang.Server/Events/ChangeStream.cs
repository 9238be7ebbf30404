using Microsoft.AspNetCore.Http.Features;
using Zhiwang.Events.Live;

namespace Zhiwang.Server.Events;

/// <summary>
/// A page's live updates as Server-Sent Events: a <c>changed</c> message, without any detail, as soon as the
/// <see cref="EventChangeWatcher"/> notices a change the page is concerned with; the page then asks for what it shows, as
/// it always did, through the endpoints that check who may see what. Plain text/event-stream, which every browser
/// reconnects by itself and every proxy passes.
/// </summary>
public sealed class ChangeStream(EventChangeWatcher watcher, Func<EventChange, bool> concerns, IHostApplicationLifetime lifetime) : IResult
{
    /// <summary>A comment line this often, so that proxies and load balancers do not cut a stream that is quiet.</summary>
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    /// <summary>The message a change is told by.</summary>
    private const string Changed = "event: changed\ndata: changed\n\n";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        using var listener = watcher.Listen(concerns);
        // Ends when the page goes, or when the server stops: an open stream must not hold a shutdown back.
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, lifetime.ApplicationStopping);
        var response = httpContext.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-store";
        // nginx buffers responses unless told not to, which would hold the messages back.
        response.Headers["X-Accel-Buffering"] = "no";
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        try
        {
            // The browser reconnects after this long when the stream ends (a server restarting, say).
            await response.WriteAsync("retry: 3000\n\n", ending.Token);
            await response.Body.FlushAsync(ending.Token);
            while (!ending.IsCancellationRequested)
            {
                var changed = await listener.WaitAsync(KeepAlive, ending.Token);
                await response.WriteAsync(changed ? Changed : ": keep-alive\n\n", ending.Token);
                await response.Body.FlushAsync(ending.Token);
            }
        }
        catch (OperationCanceledException) when (ending.IsCancellationRequested)
        {
            // The page went or the server stops: the stream simply ends.
        }
    }
}
