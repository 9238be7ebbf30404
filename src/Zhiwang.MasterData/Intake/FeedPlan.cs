using Zhiwang.MasterData.Keys;

namespace Zhiwang.MasterData.Intake;

/// <summary>
/// A declaration resolved against one file's columns: column indices instead of names, so a row maps
/// without a lookup by name. Turns each row into a <see cref="ParsedRecord"/>: validation, cleansing,
/// address matching.
/// </summary>
internal sealed class FeedPlan
{
    private readonly FeedDeclaration _feed;
    private readonly AddressIndex? _addresses;
    private readonly DateText _dates;
    private readonly int _recordId;
    private readonly int _discriminator;
    private readonly MentionPlan[] _mentions;

    public FeedPlan(FeedDeclaration feed, RowSource source, AddressIndex? addresses, bool checkColumns)
    {
        _feed = feed;
        _addresses = addresses;
        _dates = new DateText(feed.DateFormats);
        int Column(string name)
        {
            var index = source.IndexOf(name);
            if (index < 0 && checkColumns)
            {
                throw new FeedFileException(feed.Department, source.File, name,
                    $"the declaration names column '{name}' but the file has none (its columns: {string.Join(", ", source.Columns)})");
            }

            return index;
        }

        foreach (var column in feed.Columns())
        {
            Column(column);
        }

        _recordId = Column(feed.RecordId);
        _discriminator = feed.Discriminator is null ? -1 : Column(feed.Discriminator);
        _mentions = feed.Mentions
            .Select(m => new MentionPlan(m, m.Fields.Select(pair => (pair.Key, Column(pair.Value), pair.Value)).ToArray()))
            .ToArray();
    }

    /// <summary>The record of the source's current row, or the reason it cannot be used.</summary>
    public FeedRow Map(RowSource source)
    {
        if (source.Error is not null)
        {
            return new FeedRow(null, new RowError(source.File, source.Row, source.ErrorField, source.Error));
        }

        var values = source.Values;
        var recordId = Value(values, _recordId)?.Trim();
        if (string.IsNullOrEmpty(recordId))
        {
            return new FeedRow(null, new RowError(source.File, source.Row, _feed.RecordId, "no record id"));
        }

        if (source.LostDigits(_recordId))
        {
            // Rounded ids of different records can coincide, and a record would silently replace another.
            return new FeedRow(null, new RowError(source.File, source.Row, _feed.RecordId, $"{LostDigitsReason(_feed.RecordId, recordId)}; the row is not stored"));
        }

        var discriminator = _discriminator < 0 ? null : Value(values, _discriminator);
        var row = new RowWork(this, source, values);
        var mentions = new List<Mention>(_mentions.Length);
        var selected = 0;
        foreach (var mention in _mentions)
        {
            if (mention.Declaration.When is { } when && !string.Equals(when, discriminator?.Trim(), StringComparison.Ordinal))
            {
                continue;
            }

            selected++;
            if (row.Map(mention) is { } result)
            {
                mentions.Add(result);
            }
        }

        if (mentions.Count == 0)
        {
            var reason = selected == 0 && _discriminator >= 0
                ? $"{_feed.Discriminator} '{discriminator}' is not a record type the declaration knows"
                : "no usable mention: every key, name and address the row should carry is empty";
            return new FeedRow(null, new RowError(source.File, source.Row, selected == 0 ? _feed.Discriminator : null, reason));
        }

        var record = new ParsedRecord(_feed.Department, recordId, source.File, source.Row, source.Raw(), mentions, row.Issues ?? (IReadOnlyList<FieldIssue>)[])
        {
            Cleansed = row.Changes ?? (IReadOnlyList<FieldCleansing>)[],
        };
        return new FeedRow(record, null);
    }

    private static string? Value(string?[] values, int index) => index >= 0 && index < values.Length ? values[index] : null;

    internal static string LostDigitsReason(string column, string value) =>
        $"{column}: the cell was stored as a number and lost digits (a spreadsheet keeps 15; it holds {value}): format the column as text and send the file again";

    private sealed record MentionPlan(MentionDeclaration Declaration, (string Field, int Column, string ColumnName)[] Fields);

    /// <summary>
    /// Whether a key that may name a person or a firm (a landlord's 证件号码) is an ID number. Most credit codes are
    /// digits too (91440304…), so the digits alone cannot tell: a key valid as one of the two is that one; a mistyped
    /// key is an ID number when it starts like one (a province code and a birth date where GB 11643 puts them), else a
    /// credit code.
    /// </summary>
    internal static bool IsPersonKey(string key)
    {
        if (IdNumber.IsValid(key))
        {
            return true;
        }

        if (CreditCode.IsValid(key))
        {
            return false;
        }

        return IdNumber.Validate(key).Problem switch
        {
            // Letters before the check character, no province, no birth date: a credit code (12…, 51…, 91… alike).
            KeyProblem.AreaCode or KeyProblem.Characters or KeyProblem.BirthDate => false,
            // A dropped or doubled character: judge by the start, where a dropped character later changes nothing.
            KeyProblem.Length => key.Length >= 10 && FieldText.IsAsciiDigits(key.AsSpan(0, 8))
                && IdNumber.IsProvinceCode(key.AsSpan(0, 2)) && key[6..8] is "18" or "19" or "20",
            _ => true,
        };
    }

    /// <summary>One row's mapping: the issues and cleansing it collects.</summary>
    private sealed class RowWork(FeedPlan plan, RowSource source, string?[] values)
    {
        public List<FieldIssue>? Issues { get; private set; }

        public List<FieldCleansing>? Changes { get; private set; }

        public Mention? Map(MentionPlan mention)
        {
            var declaration = mention.Declaration;
            var role = declaration.Role;
            var fields = new Dictionary<string, string?>(mention.Fields.Length + 3, StringComparer.Ordinal);
            var kind = declaration.Kind switch
            {
                MentionShape.LegalEntity => MentionKind.LegalEntity,
                MentionShape.House => MentionKind.House,
                _ => MentionKind.Person,
            };

            var useful = false;
            foreach (var (field, column, columnName) in mention.Fields)
            {
                var raw = Value(values, column);
                if (string.IsNullOrWhiteSpace(raw))
                {
                    continue;
                }

                var target = field;
                if (field == FeedCatalog.KeyField)
                {
                    var isPerson = IsPersonKey(FieldText.FoldKey(raw.Trim(), out _));
                    kind = isPerson ? MentionKind.Person : MentionKind.LegalEntity;
                    target = isPerson ? HubFields.IdNumber : HubFields.CreditCode;
                }

                if (source.LostDigits(column))
                {
                    // Not the value typed: as a key it could name somebody else, so it is reported and not used.
                    Issue(role, target, LostDigitsReason(columnName, raw.Trim()), raw);
                    continue;
                }

                var value = Cleanse(role, target, columnName, raw.Trim());
                if (value is not null)
                {
                    fields[target] = value;
                    useful = true;
                }
            }

            if (!useful)
            {
                return null;
            }

            if (declaration.Kind == MentionShape.PersonOrLegalEntity && !fields.ContainsKey(HubFields.IdNumber) && !fields.ContainsKey(HubFields.CreditCode))
            {
                // No key to tell by: a firm's name is long and ends like one.
                var name = fields.GetValueOrDefault(HubFields.Name) ?? string.Empty;
                kind = name.Length > 5 || name.EndsWith("公司", StringComparison.Ordinal) || name.EndsWith('店') || name.EndsWith('厂')
                    ? MentionKind.LegalEntity
                    : MentionKind.Person;
            }

            foreach (var (field, value) in declaration.Constants)
            {
                fields[field] = value;
            }

            CrossCheck(role, fields);
            MatchAddress(role, fields);
            return new Mention(kind, role, fields);
        }

        private string? Cleanse(string role, string field, string column, string value)
        {
            switch (field)
            {
                case HubFields.IdNumber or HubFields.LegalRepresentativeIdNumber:
                    return Key(role, field, column, value, static v => IdNumber.Validate(v));
                case HubFields.CreditCode:
                    return Key(role, field, column, value, static v => CreditCode.Validate(v));
                case HubFields.HouseCode:
                    return Key(role, field, column, value, static v => HouseCode.Validate(v));
                case HubFields.Name or HubFields.LegalRepresentativeName:
                    var name = FieldText.FoldName(value);
                    if (!string.Equals(name, value, StringComparison.Ordinal))
                    {
                        Cleansed(role, field, "folded (full-width, traditional characters, spaces)", value);
                    }

                    return name;
                case HubFields.Address:
                    return FieldText.FoldAddress(value);
                case HubFields.Phone:
                    if (!FieldText.TryPhone(value, out var phone, out var change))
                    {
                        Issue(role, field, $"{column}: '{value}' is not an 11-digit mobile number starting with 1", value);
                    }
                    else if (change is not null)
                    {
                        Cleansed(role, field, change, value);
                    }

                    return phone;
                case HubFields.Sex:
                    var sex = FieldText.Sex(value);
                    if (sex is null)
                    {
                        Issue(role, field, $"{column}: '{value}' is not 男 or 女", value);
                    }

                    return sex;
                case HubFields.BirthDate or HubFields.RegisteredDate or HubFields.RecordedOn:
                    var date = plan._dates.Normalise(value, out var format);
                    if (date is null)
                    {
                        Issue(role, field, $"{column}: '{value}' is in none of the declared date formats ({string.Join(", ", plan._feed.DateFormats)})", value);
                    }
                    else if (format > 0)
                    {
                        Cleansed(role, field, $"date read as {plan._feed.DateFormats[format]}", value);
                    }

                    return date;
                default:
                    if (plan._feed.Values.TryGetValue(field, out var translations))
                    {
                        if (translations.TryGetValue(value, out var translated))
                        {
                            return translated;
                        }

                        Issue(role, field, $"{column}: '{value}' is none of the declared values ({string.Join(", ", translations.Keys)})", value);
                    }

                    return value;
            }
        }

        private string Key(string role, string field, string column, string value, Func<string, KeyValidation> validate)
        {
            var key = FieldText.FoldKey(value, out var change);
            if (change is not null)
            {
                Cleansed(role, field, change, value);
            }

            var validation = validate(key);
            if (!validation.IsValid)
            {
                Issue(role, field, $"{column}: {validation.Reason}", value);
            }

            return key;
        }

        // An ID number carries its holder's birth date and sex; a row that says otherwise is wrong somewhere.
        private void CrossCheck(string role, Dictionary<string, string?> fields)
        {
            if (fields.GetValueOrDefault(HubFields.IdNumber) is not { Length: IdNumber.Length } id || !IdNumber.IsValid(id))
            {
                return;
            }

            if (fields.GetValueOrDefault(HubFields.BirthDate) is { Length: 10 } birth
                && !(birth.AsSpan(0, 4).SequenceEqual(id.AsSpan(6, 4)) && birth.AsSpan(5, 2).SequenceEqual(id.AsSpan(10, 2)) && birth.AsSpan(8, 2).SequenceEqual(id.AsSpan(12, 2))))
            {
                Issue(role, HubFields.BirthDate, $"the birth date {birth} disagrees with the ID number's {id.AsSpan(6, 8)}", birth);
            }

            if (fields.GetValueOrDefault(HubFields.Sex) is { } sex)
            {
                var idSex = (id[16] - '0') % 2 == 1 ? "male" : "female";
                if (!string.Equals(sex, idSex, StringComparison.Ordinal))
                {
                    Issue(role, HubFields.Sex, $"the sex {sex} disagrees with the ID number's {idSex}", sex);
                }
            }
        }

        private void MatchAddress(string role, Dictionary<string, string?> fields)
        {
            if (plan._addresses is null || fields.GetValueOrDefault(HubFields.Address) is not { Length: > 0 } address)
            {
                return;
            }

            var match = plan._addresses.MatchFolded(address);
            if (match.HouseCode is null)
            {
                return;
            }

            var given = fields.GetValueOrDefault(HubFields.HouseCode);
            if (given is null || !HouseCode.IsValid(given))
            {
                // The address stands in for a missing or broken house code.
                if (given is not null)
                {
                    Cleansed(role, HubFields.HouseCode, "replaced by the house the address matched", given);
                }

                fields[HubFields.HouseCode] = match.HouseCode;
                fields[HubFields.AddressMatch] = match.QualityName;
            }
            else if (!string.Equals(given, match.HouseCode, StringComparison.Ordinal))
            {
                Issue(role, HubFields.Address, $"the address is that of house {match.HouseCode}, not of the given house code", address);
            }
            else
            {
                fields[HubFields.AddressMatch] = match.QualityName;
            }
        }

        private void Issue(string role, string field, string reason, string? value) =>
            (Issues ??= []).Add(new FieldIssue($"{role}.{field}", reason, value));

        private void Cleansed(string role, string field, string change, string? from) =>
            (Changes ??= []).Add(new FieldCleansing($"{role}.{field}", change, from));
    }
}
