namespace Zhiwang.Events.Open311;

/// <summary>How the Open311 GeoReport v2 endpoint describes itself (<c>Zhiwang:Open311</c>). Read once, when the endpoints are mapped.</summary>
public sealed class Open311Options
{
    public const string Section = "Zhiwang:Open311";

    /// <summary>Our one jurisdiction. A request naming another is answered 404; one naming none means this one.</summary>
    public string JurisdictionId { get; set; } = "shenzhen.gov.cn";

    /// <summary>Who answers questions about the API (discovery's <c>contact</c>).</summary>
    public string Contact { get; set; } = "深圳市社会治理指挥中心 Shenzhen social governance command centre, 12345";

    /// <summary>How a civic tool obtains a key (discovery's <c>key_service</c>).</summary>
    public string KeyService { get; set; } =
        "Ask the platform's administrator for an API client holding the grant open311 (zhiwang clients add --name <tool> --grant open311); " +
        "send its key as api_key or in the header Authorization: ApiKey <key>.";

    /// <summary>The public address of the endpoint, e.g. <c>https://zhiwang.example.gov.cn/open311/v2</c>; empty: the address the request came to.</summary>
    public string? BaseUrl { get; set; }
}
