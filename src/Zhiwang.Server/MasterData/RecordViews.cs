using System.Security.Claims;
using Zhiwang.Access.Audit;
using Zhiwang.Access.Privacy;
using Zhiwang.MasterData.Search;

namespace Zhiwang.Server.MasterData;

/// <summary>A search hit as shown: personal fields masked.</summary>
public sealed record SearchHitView(string Kind, string Id, string? Key, string? Name, string? Address, string? GridCode, string Href);

/// <summary>The search response: what the box was taken for, and the hits grouped by kind.</summary>
public sealed record SearchView(string Query, string Recognised, string? Problem, IReadOnlyDictionary<string, IReadOnlyList<SearchHitView>> Groups, int Total);

/// <summary>An attribute as shown: the value masked when personal (<paramref name="Masked"/>), with its source.</summary>
public sealed record AttributeView(string Field, string? Value, bool Masked, string? Department, string? RecordId, string? Reason);

public sealed record RelatedView(string Kind, string Id, string? Name, string Relation, string? Department, string Href);

/// <summary>The 360° view as shown to one reader.</summary>
public sealed record RecordView(
    string Kind,
    string Id,
    string? Key,
    string? Name,
    IReadOnlyList<AttributeView> Attributes,
    IReadOnlyList<LinkedRecord> Links,
    RecordLocation Location,
    IReadOnlyList<RelatedView> Related,
    bool CanReveal);

/// <summary>Masks what readers see and writes the audit entry for every view of personal data.</summary>
public static class RecordViews
{
    public static string Href(string kind, string id) => kind switch
    {
        SearchKinds.Person => $"/masterdata/persons/{Uri.EscapeDataString(id)}",
        SearchKinds.LegalEntity => $"/masterdata/entities/{Uri.EscapeDataString(id)}",
        _ => $"/masterdata/houses/{Uri.EscapeDataString(id)}",
    };

    public static string Target(string kind, string id) => $"{kind}:{id}";

    public static SearchView Mask(SearchResults results) => new(
        results.Query.Text,
        results.Query.Kind.ToString(),
        results.Query.Problem,
        results.ByKind.ToDictionary(
            g => g.Key,
            g => (IReadOnlyList<SearchHitView>)g.Select(h => new SearchHitView(
                h.Kind, h.GoldenId,
                h.Kind == SearchKinds.LegalEntity ? h.Key : h.Kind == SearchKinds.House ? h.Key : Masking.IdNumber(h.Key),
                h.Name, Masking.Address(h.Address), h.GridCode, Href(h.Kind, h.GoldenId))).ToList()),
        results.Hits.Count);

    public static RecordView Mask(GoldenRecord360 record, ClaimsPrincipal user)
    {
        var attributes = record.Attributes
            .Select(a => Masking.IsPersonal(a.Field) && a.Value is not null
                ? new AttributeView(a.Field, Masking.Field(a.Field, a.Value), true, a.Department, a.RecordId, a.Reason)
                : new AttributeView(a.Field, a.Value, false, a.Department, a.RecordId, a.Reason))
            .ToList();
        var related = record.Related
            .Select(r => new RelatedView(r.Kind, r.Id, r.Kind == SearchKinds.House ? Masking.Address(r.Name) : r.Name, r.Relation, r.Department, Href(r.Kind, r.Id)))
            .ToList();
        var location = record.Location with { Address = Masking.Address(record.Location.Address) };
        var key = record.Kind == SearchKinds.Person ? Masking.IdNumber(record.Key) : record.Key;
        var name = record.Kind == SearchKinds.House ? Masking.Address(record.Name) : record.Name;
        return new RecordView(record.Kind, record.Id, key, name, attributes, record.Links, location, related, Masking.CanReveal(user));
    }

    /// <summary>Who saw which record, which fields (and which of them masked), and why if they said.</summary>
    public static Task AuditViewAsync(AuditLog audit, ClaimsPrincipal user, RecordView view, string? purpose, string channel, CancellationToken cancellationToken)
    {
        var shown = string.Join(',', view.Attributes.Where(a => a.Value is not null).Select(a => a.Field));
        var masked = string.Join(',', view.Attributes.Where(a => a.Masked).Select(a => a.Field));
        return audit.AppendAsync(
            new AuditRecord(
                MasterDataPolicies.ActorOf(user),
                "masterdata.view",
                Target(view.Kind, view.Id),
                Purpose(purpose),
                $"via={channel}; fields={shown}; masked={masked}; links={view.Links.Count}; related={view.Related.Count}"),
            cancellationToken);
    }

    public static Task AuditSearchAsync(AuditLog audit, ClaimsPrincipal user, SearchResults results, string? purpose, string channel, CancellationToken cancellationToken)
    {
        // The query itself may be an ID number: the log keeps it masked, as the results were shown.
        var query = results.Query.Kind == SearchQueryKind.Key ? Masking.IdNumber(results.Query.Text) : results.Query.Text;
        return audit.AppendAsync(
            new AuditRecord(
                MasterDataPolicies.ActorOf(user),
                "masterdata.search",
                "search:" + query,
                Purpose(purpose),
                $"via={channel}; recognised={results.Query.Kind}; hits={string.Join(',', results.Hits.Select(h => Target(h.Kind, h.GoldenId)))}"),
            cancellationToken);
    }

    public static string? Purpose(string? purpose) =>
        string.IsNullOrWhiteSpace(purpose) ? null : purpose.Trim() is var p && p.Length > 200 ? p[..200] : purpose.Trim();
}
