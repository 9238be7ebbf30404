using Zhiwang.Access;
using Zhiwang.Events.Api;
using Zhiwang.MasterData.Seeding;
using Zhiwang.MasterData.Submissions;
using Zhiwang.Server.Components;
using Zhiwang.Server.Events;
using Zhiwang.Server.Health;
using Zhiwang.Server.Localization;
using Zhiwang.Server.Map;
using Zhiwang.Server.MasterData;
using Zhiwang.Server.Platform;
using Zhiwang.Server.Uploads;
using Zhiwang.Storage;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();
builder.Services.AddRazorComponents();
builder.Services.AddPlatform(builder.Configuration);
builder.Services.AddAccess();
builder.Services.AddUiLocalization();
builder.Services.AddHealth();
builder.Services.AddCityMap();
builder.Services.AddMasterDataViews();
builder.Services.AddFeedSubmissions();
builder.Services.AddUploads(builder.Configuration);
builder.Services.AddEvents(builder.Configuration);
builder.Services.AddEventsMasterData();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseStaticFiles();
app.UseUiLocalization();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseAntiforgery();

app.MapOpenApi().AllowAnonymous();
app.MapHealthApi();
app.MapAccessApi();
app.MapCityMapApi();
app.MapMasterDataApi();
app.MapFeedSubmissionApi();
app.MapUploads();
app.MapEventsApi();
app.MapReporterApi();
app.MapOpen311Api();
app.MapEventPages();
app.MapPages();

try
{
    await app.PrepareAsync(app.Lifetime.ApplicationStopping);
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e is DatabaseException or DataFileException or IOException or UnauthorizedAccessException)
{
    // An operator needs the one line that says what failed (the database, a file, a folder), not a stack trace.
    await Console.Error.WriteLineAsync($"zhiwang: {e.Message.ReplaceLineEndings(" ")}");
    return 2;
}

/// <summary>The entry point, public so tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
