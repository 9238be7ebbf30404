using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Zhiwang.Access;
using Zhiwang.MasterData.Hub;
using Zhiwang.MasterData.Intake;
using Zhiwang.MasterData.Submissions;

namespace Zhiwang.Server.Uploads;

/// <summary>
/// Department files uploaded by data stewards (<c>/masterdata/uploads</c>): the form posts to
/// <c>POST /api/masterdata/uploads</c>, which starts the import and sends the browser to the job's page; the page
/// follows <see cref="UploadJob.Status"/>; <c>GET /api/masterdata/uploads/{id}</c> gives it as JSON and
/// <c>…/{id}/errors.csv</c> the row errors.
/// </summary>
public static class UploadsApi
{
    /// <summary>Data stewards and administrators.</summary>
    public const string Roles = Access.Roles.DataSteward + "," + Access.Roles.Administrator;

    // Multipart boundaries, the department field and the antiforgery token ride along with the file.
    private const long FormOverhead = 64 * 1024;

    public static IServiceCollection AddUploads(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<UploadOptions>(configuration.GetSection(UploadOptions.Section));
        services.AddSingleton<UploadJobs>();
        services.AddHostedService<UploadRecovery>();
        return services;
    }

    public static RouteGroupBuilder MapUploads(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/masterdata/uploads")
            .WithTags("MasterData")
            .RequireAuthorization(policy => policy.RequireAuthenticatedUser().RequireRole(Access.Roles.DataSteward, Access.Roles.Administrator));
        group.MapPost("/", UploadAsync).DisableAntiforgery().ExcludeFromDescription(); // validated by hand, after the form is read within our limit
        group.MapGet("/{id:guid}", GetStatusAsync).WithSummary("Where an uploaded file's import stands");
        group.MapGet("/{id:guid}/errors.csv", GetErrorsCsvAsync).WithSummary("The row errors of an uploaded file, as CSV");
        return group;
    }

    internal static async Task<IResult> UploadAsync(
        HttpContext context, IAntiforgery antiforgery, UploadJobs jobs, IOptions<UploadOptions> options, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxBytes;
        var request = context.Request;
        if (request.ContentLength > max + FormOverhead)
        {
            return TooLarge(request.ContentLength.Value, max);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = max + FormOverhead;
        }

        if (!request.HasFormContentType)
        {
            return Page(StatusCodes.Status400BadRequest, "请通过上传页面提交文件。", "Send the file with the upload page's form (multipart/form-data).");
        }

        IFormCollection form;
        try
        {
            context.Features.Set<IFormFeature>(new FormFeature(request, new FormOptions { MultipartBodyLengthLimit = max + FormOverhead }));
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            return TooLarge(null, max);
        }

        try
        {
            await antiforgery.ValidateRequestAsync(context);
        }
        catch (AntiforgeryValidationException)
        {
            return Page(StatusCodes.Status400BadRequest, "表单已过期或缺少防伪令牌，请刷新上传页面后重试。", "The form's antiforgery token is missing or stale: reload the upload page and try again.");
        }

        if (form.Files.GetFile("file") is not { Length: > 0 } file)
        {
            return Page(StatusCodes.Status400BadRequest, "请选择一个非空文件。", "Choose a file to upload; the one sent is missing or empty.");
        }

        if (file.Length > max)
        {
            return TooLarge(file.Length, max);
        }

        var fileName = Path.GetFileName(file.FileName);
        var department = form["department"].ToString();
        var feed = string.IsNullOrEmpty(department) ? FeedCatalog.Default.Match(fileName) : FeedCatalog.Default.Find(department);
        if (feed is null)
        {
            return string.IsNullOrEmpty(department)
                ? Page(StatusCodes.Status400BadRequest, $"文件名 {fileName} 不属于任何部门的数据源，请选择部门。", $"The file name {fileName} matches no department's feed ({string.Join(", ", FeedCatalog.Default.Feeds.SelectMany(f => f.Files))}): pick the department.")
                : Page(StatusCodes.Status400BadRequest, $"没有部门 {department}。", $"There is no feed for department '{department}'.");
        }

        var isWorkbook = Path.GetExtension(fileName).ToUpperInvariant() is ".XLSX" or ".XLS";
        if (isWorkbook != (feed.Format == FeedFormat.Xlsx))
        {
            return Page(StatusCodes.Status400BadRequest,
                $"{feed.Name} 的数据源是 {FormatName(feed.Format)} 文件，而 {fileName} 不是。",
                $"Feed '{feed.Department}' takes {FormatName(feed.Format)} files ({string.Join(", ", feed.Files)}); {fileName} is {(isWorkbook ? "an Excel workbook" : "not an Excel workbook")}.");
        }

        var path = Path.Combine(Path.GetTempPath(), $"zhiwang-upload-{Guid.NewGuid():N}{Path.GetExtension(fileName)}");
        await using (var copy = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            await file.CopyToAsync(copy, cancellationToken);
        }

        UploadJob job;
        try
        {
            job = await jobs.StartAsync(feed, path, fileName, context.User.FindFirstValue(ClaimTypes.Name), cancellationToken);
        }
        catch
        {
            File.Delete(path);
            throw;
        }

        return TypedResults.Redirect($"/masterdata/uploads/{job.Id}");
    }

    internal static async Task<Results<Ok<UploadStatusResponse>, NotFound>> GetStatusAsync(Guid id, UploadJobs jobs, CancellationToken cancellationToken) =>
        await jobs.FindAsync(id, cancellationToken) is { } job ? TypedResults.Ok(UploadStatusResponse.Of(job)) : TypedResults.NotFound();

    internal static async Task GetErrorsCsvAsync(Guid id, HttpContext context, UploadJobs jobs, FeedSubmissions submissions, CancellationToken cancellationToken)
    {
        // A finished job's batch, or the one a job cut off was reading into (its rows refused before the stop).
        if (await jobs.FindAsync(id, cancellationToken) is not { } job || (job.Status.Result?.Batch.BatchId ?? job.Status.BatchId) is not { } batchId)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{Path.GetFileNameWithoutExtension(job.File).Replace('"', '_')}.errors.csv\"; filename*=UTF-8''{Uri.EscapeDataString(Path.GetFileNameWithoutExtension(job.File))}.errors.csv";
        await using var writer = new StreamWriter(context.Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 1 << 16);
        await writer.WriteAsync("file,row,field,reason\r\n".AsMemory(), cancellationToken);
        await foreach (var error in submissions.AllRowErrorsAsync(batchId, cancellationToken))
        {
            await writer.WriteAsync($"{Csv(error.File)},{error.Row.ToString(CultureInfo.InvariantCulture)},{Csv(error.Field)},{Csv(error.Reason)}\r\n".AsMemory(), cancellationToken);
        }
    }

    /// <summary>One CSV field: quoted when needed, and a leading = + - @ defused so a spreadsheet never runs a value from a department's file as a formula.</summary>
    internal static string Csv(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    internal static string FormatName(FeedFormat format) => format switch
    {
        FeedFormat.Csv => "CSV",
        FeedFormat.Delimited => "delimited text",
        FeedFormat.JsonLines => "JSON lines",
        FeedFormat.Xlsx => "Excel (xlsx)",
        _ => format.ToString(),
    };

    private static ContentHttpResult TooLarge(long? bytes, long max) =>
        Page(StatusCodes.Status413PayloadTooLarge,
            $"文件太大{(bytes is { } b ? $"（{Megabytes(b)}）" : "")}：上传文件最大 {Megabytes(max)}。",
            $"The file is too large{(bytes is { } n ? $" ({Megabytes(n)})" : "")}: uploads are limited to {Megabytes(max)} (Zhiwang:Uploads:MaxBytes).");

    internal static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB");

    /// <summary>The form posts without script, so a refusal is a small page of its own, with the status that says what went wrong.</summary>
    private static ContentHttpResult Page(int status, string chinese, string english) =>
        TypedResults.Content(
            $"""
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8"><title>上传失败 / Upload refused</title><link rel="stylesheet" href="/css/site.css"></head>
            <body><main class="page upload"><h2>上传失败 / Upload refused</h2>
            <p class="upload-error" role="alert">{WebUtility.HtmlEncode(chinese)}<br>{WebUtility.HtmlEncode(english)}</p>
            <p><a href="/masterdata/uploads">返回上传页面 / Back to the upload page</a></p></main></body></html>
            """,
            "text/html; charset=utf-8",
            Encoding.UTF8,
            status);
}

/// <summary>An upload's status as JSON, for a script or a test following it.</summary>
public sealed record UploadStatusResponse(
    Guid Id,
    string Department,
    string File,
    string Stage,
    long Rows,
    long Errors,
    long Bytes,
    long? TotalBytes,
    int? Percent,
    string? Failure,
    UploadSummary? Summary)
{
    public static UploadStatusResponse Of(UploadJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var status = job.Status;
        return new UploadStatusResponse(job.Id, job.Department, job.File, status.Stage, status.Rows, status.Errors, status.Bytes, status.TotalBytes, status.Percent, status.Failure,
            status.Result is { } result ? UploadSummary.Of(result) : null);
    }
}

/// <summary>
/// What an upload's import did; <paramref name="NothingChanged"/>: every readable row was already stored unchanged;
/// <paramref name="Note"/>: the plain sentence for an import that stored nothing ("nothing new: all 12 records were already stored").
/// </summary>
public sealed record UploadSummary(
    long BatchId,
    long Rows,
    long Accepted,
    long Unchanged,
    long Rejected,
    long LinkedByKey,
    long LinkedByRepairedKey,
    long LinkedByEngine,
    long New,
    long Unlinked,
    long FieldIssues,
    bool NothingChanged,
    string? Note)
{
    public static UploadSummary Of(FileImportResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var b = result.Batch;
        return new UploadSummary(b.BatchId, b.Rows, b.Accepted, b.Duplicates, b.Rejected, b.LinkedByKey, b.LinkedByRepairedKey, b.LinkedByEngine, b.New, b.Unlinked, result.FieldIssues, result.NothingChanged, UploadNote.Of(b)?.English);
    }
}

/// <summary>
/// The sentence for an import that stored nothing. Uploading a file again adds a batch (an audit of what was sent) but
/// no record; the steward should read that at once rather than work it out from the counts.
/// </summary>
public sealed record UploadNote(string Chinese, string English)
{
    public static UploadNote? Of(ImportBatchSummary batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Accepted > 0)
        {
            return null;
        }

        var unchanged = batch.Duplicates.ToString("N0", CultureInfo.InvariantCulture);
        var rejected = batch.Rejected.ToString("N0", CultureInfo.InvariantCulture);
        var rows = batch.Rejected == 1 ? "1 row was rejected" : $"{rejected} rows were rejected";
        return (batch.Duplicates, batch.Rejected) switch
        {
            (1, 0) => new UploadNote("没有新数据：这 1 条记录此前已存储。", "nothing new: its 1 record was already stored"),
            ( > 0, 0) => new UploadNote($"没有新数据：全部 {unchanged} 条记录此前已存储。", $"nothing new: all {unchanged} records were already stored"),
            ( > 0, _) => new UploadNote(
                $"没有新数据：全部 {unchanged} 条可读记录此前已存储；{rejected} 行被拒收（见下）。",
                $"nothing new: all {unchanged} readable records were already stored; {rows} (below)"),
            (0, > 0) => new UploadNote($"没有存储任何记录：全部 {rejected} 行被拒收（见下）。", $"nothing stored: {(batch.Rejected == 1 ? "its 1 row was" : $"all {rejected} rows were")} rejected (below)"),
            _ => new UploadNote("没有存储任何记录：文件中没有数据行。", "nothing stored: the file holds no rows"),
        };
    }
}
