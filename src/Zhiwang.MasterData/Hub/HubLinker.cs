using System.Runtime.InteropServices;
using Zhiwang.Linkage.Model;
using Zhiwang.Linkage.Scoring;
using Zhiwang.MasterData.Intake;
using Zhiwang.MasterData.Keys;
using Zhiwang.MasterData.Linking;

namespace Zhiwang.MasterData.Hub;

/// <summary>
/// Where a mention was linked, how, and how surely; <paramref name="MistypedKey"/> is the department's key when it
/// was repaired; <paramref name="Explanation"/> the linkage engine's waterfall when the engine decided (then
/// <paramref name="Weight"/> is its match weight, log2 of the Bayes factor with the prior).
/// </summary>
public sealed record LinkResult(string? GoldenId, LinkMethod Method, double Weight, string? MistypedKey = null, PairExplanation? Explanation = null);

/// <summary>
/// Links mentions to golden records with the key indexes held in memory for a whole batch (三码关联): a valid key
/// goes to its record at once; an invalid one is repaired when exactly one known key is one edit away and the
/// record agrees on name and birth date; a person without a usable key goes to the probabilistic step.
/// </summary>
internal sealed class HubLinker
{
    // By IdNumberKey: a number, not the folded ID number as a new string of some 60 bytes per golden person.
    private readonly Dictionary<long, string> _personByIdNumber = [];
    private readonly Dictionary<string, string> _entityByCreditCode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _entityByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _entityName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Name, string? BirthDate)> _personSketch = new(StringComparer.Ordinal);
    private readonly HashSet<string> _keyedPersons = new(StringComparer.Ordinal);
    // The birth dates the sketches hold, one string per date: tens of thousands of dates among millions of persons, and
    // a date read from an ID number is a new string per row.
    private readonly Dictionary<string, string> _birthDates = new(StringComparer.Ordinal);
    private readonly HashSet<string> _houses;
    private readonly IReadOnlyDictionary<string, string> _houseOwners;
    private readonly ProbablePersonMatch _probable = new();
    private readonly EngineStep _personEngine = new("person", EngineStep.PersonSettings, EngineStep.PersonColumns);
    private readonly EngineStep _entityEngine = new("legal_entity", EngineStep.EntitySettings, EngineStep.EntityColumns);
    private long _lastPerson;
    private long _lastEntity;

    public HubLinker(IEnumerable<string> houseCodes, IReadOnlyDictionary<string, string> houseOwners, long lastPersonSerial, long lastEntitySerial)
    {
        _houses = new HashSet<string>(houseCodes, StringComparer.Ordinal);
        _houseOwners = houseOwners;
        _lastPerson = lastPersonSerial;
        _lastEntity = lastEntitySerial;
    }

    /// <summary>Makes a golden person known to the indexes (from the database at the start of a batch, or as mentions link).</summary>
    public void KnowPerson(string goldenId, string? idNumber, string? name, string? birthDate, string? sex, string? place, string? phone)
    {
        if (!string.IsNullOrEmpty(idNumber) && IdNumber.IsValid(idNumber))
        {
            _personByIdNumber.TryAdd(IdNumberKey(idNumber), goldenId);
            _keyedPersons.Add(goldenId);

            // Rows that carry only a name and an ID number (social insurance, tax) still say when and as what the person was born.
            var parts = IdNumber.Parse(idNumber);
            birthDate = string.IsNullOrEmpty(birthDate) ? parts.BirthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : birthDate;
            sex = string.IsNullOrEmpty(sex) ? (parts.Sex == Sex.Male ? "male" : "female") : sex;
        }

        if (!_personSketch.ContainsKey(goldenId) && !string.IsNullOrEmpty(name))
        {
            _personSketch[goldenId] = (ProbablePersonMatch.FoldName(name), SharedBirthDate(birthDate));
        }

        _probable.Add(goldenId, name, birthDate, sex, place, phone);
    }

    /// <summary>The one string held for this birth date (see <c>_birthDates</c>).</summary>
    private string? SharedBirthDate(string? birthDate)
    {
        if (birthDate is null)
        {
            return null;
        }

        ref var shared = ref CollectionsMarshal.GetValueRefOrAddDefault(_birthDates, birthDate, out _);
        return shared ??= birthDate;
    }

    public void KnowEntity(string goldenId, string? creditCode, string? name)
    {
        if (!string.IsNullOrEmpty(creditCode) && CreditCode.IsValid(creditCode))
        {
            _entityByCreditCode.TryAdd(creditCode, goldenId);
        }

        var folded = ProbablePersonMatch.FoldName(name);
        if (folded.Length > 0)
        {
            _entityByName.TryAdd(folded, goldenId);
            _entityName.TryAdd(goldenId, folded);
        }
    }

    /// <summary>
    /// True when the mention carries a valid key (or is a house, whose registry is complete from the start): it can
    /// be linked at once. Others wait until every key of the import is known.
    /// </summary>
    public static bool HasValidKey(Mention mention) => mention.Kind switch
    {
        MentionKind.Person => IdNumber.IsValid(KeyRepairs.Fold(mention.Fields.GetValueOrDefault(HubFields.IdNumber))),
        MentionKind.LegalEntity => CreditCode.IsValid(KeyRepairs.Fold(mention.Fields.GetValueOrDefault(HubFields.CreditCode))),
        _ => true,
    };

    /// <summary>Remembers what a person was named beside another golden record in one row, for rows that name nothing else.</summary>
    public void KnowContext(string personGoldenId, string? name, string otherGoldenId) => _probable.AddContext(personGoldenId, name, otherGoldenId);

    /// <summary>The serial of the last golden person and legal entity handed out.</summary>
    public (long Person, long Entity) LastSerials => (_lastPerson, _lastEntity);

    /// <summary>The import is complete; the engines keep what it added.</summary>
    public void EndImport()
    {
        _personEngine.EndImport();
        _entityEngine.EndImport();
    }

    /// <summary>The engine steps (persons, legal entities), for storing the models they trained.</summary>
    public IReadOnlyList<EngineStep> Engines => [_personEngine, _entityEngine];

    /// <summary>A stored golden person (an earlier import's) as one record of the engine's table.</summary>
    public void ObserveGoldenPerson(string goldenId, string? idNumber, string? name, string? birthDate, string? sex, string? place, string? phone) =>
        _personEngine.Add("golden/" + goldenId, goldenId, PersonValues(idNumber, name, birthDate, sex, place, phone, null), fromImport: false);

    public void ObserveGoldenEntity(string goldenId, string? name) =>
        _entityEngine.Add("golden/" + goldenId, goldenId, EntityValues(name, null, null, null, null), fromImport: false);

    /// <summary>A mention the hub linked: a record of the engine's table in the cluster of its golden record.</summary>
    public void Observe(string recordName, Mention mention, string goldenId, IReadOnlyCollection<string> context)
    {
        switch (mention.Kind)
        {
            case MentionKind.Person:
                _personEngine.Add(recordName, goldenId, PersonValues(mention.Fields, context, mention.Role));
                break;
            case MentionKind.LegalEntity:
                _entityEngine.Add(recordName, goldenId, EntityValues(mention.Fields, context));
                break;
            default:
                break;
        }
    }

    /// <summary>
    /// Trains the kind's engine on the mentions linked so far (or takes the stored model for a small import) before
    /// its keyless mentions are linked. Without either the kind keeps the interim rules.
    /// </summary>
    public void StartEngine(MentionKind kind, IReadOnlyDictionary<string, LinkageModel> stored)
    {
        var engine = kind == MentionKind.Person ? _personEngine : _entityEngine;
        engine.Start(stored.GetValueOrDefault(engine.Kind));
    }

    /// <summary>
    /// Links one mention. <paramref name="givenHouseCode"/> is the house code the department wrote when the intake
    /// replaced a broken one by the house its address matched: a code one edit from exactly one registry house beats
    /// an address, which may be a stale one.
    /// </summary>
    public LinkResult Link(Mention mention, IReadOnlyCollection<string>? context = null, string? givenHouseCode = null, string recordName = "") => mention.Kind switch
    {
        MentionKind.Person => LinkPerson(mention.Fields, context, recordName, mention.Role),
        MentionKind.LegalEntity => LinkEntity(mention.Fields, context, recordName),
        MentionKind.House => LinkHouse(mention.Fields, givenHouseCode),
        _ => throw new ArgumentOutOfRangeException(nameof(mention)),
    };

    private LinkResult LinkPerson(IReadOnlyDictionary<string, string?> fields, IReadOnlyCollection<string>? context, string recordName, string role)
    {
        var key = KeyRepairs.Fold(fields.GetValueOrDefault(HubFields.IdNumber));
        var name = fields.GetValueOrDefault(HubFields.Name);
        var birthDate = fields.GetValueOrDefault(HubFields.BirthDate);
        var sex = fields.GetValueOrDefault(HubFields.Sex);
        var place = PlaceOf(fields);
        var phone = fields.GetValueOrDefault(HubFields.Phone);
        LinkResult result;
        if (key.Length > 0 && IdNumber.IsValid(key))
        {
            if (_personByIdNumber.TryGetValue(IdNumberKey(key), out var known))
            {
                result = new LinkResult(known, LinkMethod.Key, 1.0);
            }
            else if (_probable.Find(name, birthDate, sex, place, phone, context, id => !_keyedPersons.Contains(id)) is { } keyless)
            {
                // The same person met earlier without an ID number (an infant before registration): the key joins that record.
                result = new LinkResult(keyless.GoldenId, LinkMethod.Engine, keyless.Weight);
            }
            else
            {
                result = new LinkResult(GoldenId.Person(++_lastPerson), LinkMethod.New, 1.0);
            }
        }
        else if (key.Length > 0 && RepairPerson(key, name, birthDate) is { } repaired)
        {
            result = new LinkResult(repaired, LinkMethod.RepairedKey, 0.95, key);
        }
        else if (OwnerOf(context, name) is { } owner)
        {
            // A landlord without an ID number: the house registry names the owner of the house let, registry evidence
            // the engine has no column for.
            result = new LinkResult(owner, LinkMethod.Engine, 0.8);
        }
        else if (_personEngine.Find(recordName, PersonValues(fields, context, role)) is { } match)
        {
            result = new LinkResult(match.GoldenId, LinkMethod.Engine, match.MatchWeight, Explanation: match.Explanation);
        }
        else if (!_personEngine.Started && _probable.Find(name, birthDate, sex, place, phone, context) is { } probable)
        {
            // Interim rule: only when there is no model (a small first import); its weight is no match weight.
            result = new LinkResult(probable.GoldenId, LinkMethod.Engine, probable.Weight);
        }
        else
        {
            result = new LinkResult(GoldenId.Person(++_lastPerson), LinkMethod.New, 1.0);
        }

        if (key.Length == 0 || !IdNumber.IsValid(key))
        {
            _personEngine.Settle(result.GoldenId);
        }

        KnowPerson(result.GoldenId!, result.Method == LinkMethod.RepairedKey ? null : key, name, birthDate, sex, place, phone);
        return result;
    }

    private string? OwnerOf(IReadOnlyCollection<string>? context, string? name)
    {
        var folded = ProbablePersonMatch.FoldName(name);
        if (context is null || folded.Length == 0)
        {
            return null;
        }

        var owners = context
            .Where(id => id.Length > 1 && id[0] == GoldenId.HousePrefix)
            .Select(id => _houseOwners.GetValueOrDefault(id[1..]))
            .OfType<string>()
            .Select(owner => _personByIdNumber.GetValueOrDefault(IdNumberKey(owner)))
            .OfType<string>()
            .Where(golden => _personSketch.TryGetValue(golden, out var sketch) && ProbablePersonMatch.OneCharacterApart(sketch.Name, folded))
            .Distinct(StringComparer.Ordinal)
            .Take(2)
            .ToList();
        return owners.Count == 1 ? owners[0] : null;
    }

    /// <summary>
    /// An ID number as a number, one to one with its text: a well-formed number's 17 digits say its check character, so
    /// the key is the digits, doubled, plus one for a lower-case x (which validation accepts, and which the text kept
    /// apart). Anything else, whose check character the digits do not give, is -1, a key no ID number has.
    /// </summary>
    internal static long IdNumberKey(string idNumber)
    {
        if (idNumber.Length != IdNumber.Length || !long.TryParse(idNumber.AsSpan(0, 17), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var digits))
        {
            return -1;
        }

        var check = idNumber[17];
        var expected = IdNumber.CheckCharacter(digits);
        return check == expected ? digits * 2
            : check == 'x' && expected == 'X' ? digits * 2 + 1
            : -1;
    }

    private string? RepairPerson(string key, string? name, string? birthDate)
    {
        string? found = null;
        foreach (var candidate in KeyRepairs.IdNumberCandidates(key))
        {
            if (_personByIdNumber.TryGetValue(IdNumberKey(candidate), out var goldenId))
            {
                if (found is not null && found != goldenId)
                {
                    return null;
                }

                found = goldenId;
            }
        }

        if (found is null || !_personSketch.TryGetValue(found, out var sketch))
        {
            return found;
        }

        var folded = ProbablePersonMatch.FoldName(name);
        var nameAgrees = folded.Length == 0 || ProbablePersonMatch.OneCharacterApart(folded, sketch.Name);
        var birthAgrees = string.IsNullOrEmpty(birthDate) || string.IsNullOrEmpty(sketch.BirthDate) || birthDate == sketch.BirthDate;
        return nameAgrees && birthAgrees ? found : null;
    }

    private LinkResult LinkEntity(IReadOnlyDictionary<string, string?> fields, IReadOnlyCollection<string>? context, string recordName)
    {
        var key = KeyRepairs.Fold(fields.GetValueOrDefault(HubFields.CreditCode));
        var name = fields.GetValueOrDefault(HubFields.Name);
        var folded = ProbablePersonMatch.FoldName(name);
        LinkResult result;
        if (key.Length > 0 && CreditCode.IsValid(key))
        {
            result = _entityByCreditCode.TryGetValue(key, out var known)
                ? new LinkResult(known, LinkMethod.Key, 1.0)
                : new LinkResult(GoldenId.LegalEntity(++_lastEntity), LinkMethod.New, 1.0);
        }
        else if (key.Length > 0 && RepairEntity(key, folded) is { } repaired)
        {
            result = new LinkResult(repaired, LinkMethod.RepairedKey, 0.95, key);
        }
        else if (_entityEngine.Find(recordName, EntityValues(fields, context)) is { } match)
        {
            result = new LinkResult(match.GoldenId, LinkMethod.Engine, match.MatchWeight, Explanation: match.Explanation);
        }
        else if (!_entityEngine.Started && folded.Length > 0 && _entityByName.TryGetValue(folded, out var byName))
        {
            // Interim rule without a model: a registered name is near-unique.
            result = new LinkResult(byName, LinkMethod.Engine, 0.9);
        }
        else
        {
            result = new LinkResult(GoldenId.LegalEntity(++_lastEntity), LinkMethod.New, 1.0);
        }

        if (key.Length == 0 || !CreditCode.IsValid(key))
        {
            _entityEngine.Settle(result.GoldenId);
        }

        KnowEntity(result.GoldenId!, result.Method == LinkMethod.RepairedKey ? null : key, name);
        return result;
    }

    private string? RepairEntity(string key, string foldedName)
    {
        var found = KeyRepairs.CreditCodeCandidates(key)
            .Select(c => _entityByCreditCode.GetValueOrDefault(c))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Take(2)
            .ToList();
        if (found.Count != 1)
        {
            return null;
        }

        // An entity's name must agree as well, unless the row gives none or the record is known only by key.
        var known = _entityName.GetValueOrDefault(found[0]);
        return foldedName.Length == 0 || known is null || known == foldedName ? found[0] : null;
    }

    /// <summary>True when the registry names one of <paramref name="landlordKeys"/> as the owner of the house.</summary>
    public bool OwnerLets(string houseCode, IReadOnlyCollection<string> landlordKeys) =>
        _houseOwners.TryGetValue(houseCode, out var owner) && landlordKeys.Contains(owner);

    /// <summary>
    /// A let house whose registry owner is not the row's landlord, in a row whose tenant has a registered residence
    /// (公安) elsewhere: one of the two is stale. The residence wins when the registry says the landlord owns it, or
    /// when the row gave no house code at all (only an address, the clue that goes stale); otherwise the house as the
    /// row gives it.
    /// </summary>
    public LinkResult LinkHouseByResidence(Mention mention, string? residence, IReadOnlyCollection<string> landlordKeys, bool addressOnly, string? givenHouseCode)
    {
        var given = KeyRepairs.Fold(mention.Fields.GetValueOrDefault(HubFields.HouseCode));
        if (residence is not null && residence != given && _houses.Contains(residence) && (addressOnly || OwnerLets(residence, landlordKeys)))
        {
            return new LinkResult(GoldenId.House(residence), LinkMethod.Key, 0.9);
        }

        return LinkHouse(mention.Fields, givenHouseCode);
    }

    private LinkResult LinkHouse(IReadOnlyDictionary<string, string?> fields, string? givenHouseCode)
    {
        var given = KeyRepairs.Fold(givenHouseCode);
        if (given.Length > 0 && !HouseCode.IsValid(given))
        {
            // House codes are dense (building + unit), so a broken one is often one edit from several real houses:
            // the house the address matched if it is one of them (two clues agree), else a recomputed check
            // character (the commonest slip), else the only one.
            var body = given.Length == HouseCode.Length ? given[..17] : "";
            var recomputed = body.Length == 17 && body.All(char.IsAsciiDigit) ? body + HouseCode.CheckCharacter(body) : null;
            var addressed = KeyRepairs.Fold(fields.GetValueOrDefault(HubFields.HouseCode));
            var candidates = KeyRepairs.HouseCodeCandidates(given).Where(_houses.Contains).ToList();
            var repaired = candidates.Contains(addressed) ? addressed
                : recomputed is not null && _houses.Contains(recomputed) ? recomputed
                : candidates.Count == 1 ? candidates[0]
                : null;
            if (repaired is not null)
            {
                return new LinkResult(GoldenId.House(repaired), LinkMethod.RepairedKey, 0.95, given);
            }
        }

        var key = KeyRepairs.Fold(fields.GetValueOrDefault(HubFields.HouseCode));
        if (key.Length > 0 && _houses.Contains(key))
        {
            return new LinkResult(GoldenId.House(key), LinkMethod.Key, 1.0);
        }

        if (key.Length > 0 && !HouseCode.IsValid(key))
        {
            var found = KeyRepairs.HouseCodeCandidates(key).Where(_houses.Contains).Take(2).ToList();
            if (found.Count == 1)
            {
                return new LinkResult(GoldenId.House(found[0]), LinkMethod.RepairedKey, 0.95, key);
            }
        }

        // Houses come only from the house-code registry: one the registry lacks is left for the stewards.
        return new LinkResult(null, LinkMethod.Unlinked, 0);
    }

    private static string?[] PersonValues(IReadOnlyDictionary<string, string?> fields, IReadOnlyCollection<string>? context, string role)
    {
        var place = PlaceOf(fields);
        if (string.IsNullOrEmpty(place) && role == "subject")
        {
            // A tenant lives in the house the row lets even when the person's own fields do not say so (a landlord does not).
            place = context?.FirstOrDefault(id => id[0] == GoldenId.HousePrefix)?[1..];
        }

        var values = PersonValues(
            KeyRepairs.Fold(fields.GetValueOrDefault(HubFields.IdNumber)), fields.GetValueOrDefault(HubFields.Name), fields.GetValueOrDefault(HubFields.BirthDate),
            fields.GetValueOrDefault(HubFields.Sex), place, fields.GetValueOrDefault(HubFields.Phone), context?.FirstOrDefault(id => id[0] == GoldenId.LegalEntityPrefix));

        // The person the row names beside this one (a mother's child, a guardian's student, a landlord's tenant).
        values[^1] = context?.FirstOrDefault(id => id[0] == GoldenId.PersonPrefix);
        return values;
    }

    /// <summary>In <see cref="EngineStep.PersonColumns"/> order after the id; a valid ID number says the birth date and sex a row may leave out.</summary>
    private static string?[] PersonValues(string? idNumber, string? name, string? birthDate, string? sex, string? place, string? phone, string? employer)
    {
        if (!string.IsNullOrEmpty(idNumber) && IdNumber.IsValid(idNumber))
        {
            var parts = IdNumber.Parse(idNumber);
            birthDate = string.IsNullOrEmpty(birthDate) ? parts.BirthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : birthDate;
            sex = string.IsNullOrEmpty(sex) ? (parts.Sex == Sex.Male ? "male" : "female") : sex;
        }

        var folded = ProbablePersonMatch.FoldName(name);
        return [folded.Length == 0 ? null : folded, birthDate, sex, place, phone, employer, null];
    }

    private static string?[] EntityValues(IReadOnlyDictionary<string, string?> fields, IReadOnlyCollection<string>? context) =>
        EntityValues(
            fields.GetValueOrDefault(HubFields.Name), PlaceOf(fields), fields.GetValueOrDefault(HubFields.LegalRepresentativeName),
            KeyRepairs.Fold(fields.GetValueOrDefault(HubFields.LegalRepresentativeIdNumber)), context?.FirstOrDefault(id => id[0] == GoldenId.PersonPrefix));

    /// <summary>In <see cref="EngineStep.EntityColumns"/> order after the id.</summary>
    private static string?[] EntityValues(string? name, string? place, string? representative, string? representativeId, string? person)
    {
        var folded = ProbablePersonMatch.FoldName(name);
        var representativeName = ProbablePersonMatch.FoldName(representative);
        return [
            folded.Length == 0 ? null : folded,
            EntityNames.Core(folded) is { Length: > 0 } core ? core : null,
            place,
            representativeName.Length == 0 ? null : representativeName,
            string.IsNullOrEmpty(representativeId) ? null : representativeId,
            person];
    }

    private static string? PlaceOf(IReadOnlyDictionary<string, string?> fields)
    {
        var house = fields.GetValueOrDefault(HubFields.HouseCode);
        return !string.IsNullOrEmpty(house) ? house : ProbablePersonMatch.FoldName(fields.GetValueOrDefault(HubFields.Address));
    }
}
