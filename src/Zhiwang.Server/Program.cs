using Zhiwang.Server.Components;
using Zhiwang.Server.Health;
using Zhiwang.Server.Localization;
using Zhiwang.Server.Map;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();
builder.Services.AddRazorComponents();
builder.Services.AddUiLocalization();
builder.Services.AddHealth();
builder.Services.AddCityMap();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseStaticFiles();
app.UseUiLocalization();
app.UseAntiforgery();

app.MapOpenApi().AllowAnonymous();
app.MapHealthApi();
app.MapCityMapApi();
app.MapRazorComponents<App>();

app.Run();

/// <summary>The entry point, public so tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
