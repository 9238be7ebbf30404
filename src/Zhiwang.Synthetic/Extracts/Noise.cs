using System.Runtime.CompilerServices;
using Zhiwang.Synthetic.Reference;

namespace Zhiwang.Synthetic.Extracts;

/// <summary>Applies the documented errors to one department's values, from that department's random stream.</summary>
internal sealed class Noise(NoiseRates rates, Rng rng)
{
    private const string FullWidthDigits = "０１２３４５６７８９";
    private readonly char[] _buffer = new char[64];

    public Rng Rng => rng;

    public NoiseRates Rates => rates;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Duplicate() => rng.Chance(rates.Duplicate);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool StaleAddress() => rng.Chance(rates.StaleAddress);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool DateVariant() => rng.Chance(rates.DateFormatVariant);

    /// <summary>The name as the department recorded it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string Name(string name)
    {
        var u = rng.NextDouble();
        if (u < rates.NameVariant)
        {
            // Prefer a character with a known variant; a name without one gets a typo, so the rate holds.
            var start = rng.Next(name.Length);
            for (var k = 0; k < name.Length; k++)
            {
                var i = (start + k) % name.Length;
                if (PersonNames.Variants.TryGetValue(name[i], out var variants))
                {
                    return Replace(name, i, variants[rng.Next(variants.Length)]);
                }
            }

            return Typo(name);
        }

        return u < rates.NameVariant + rates.NameTypo ? Typo(name) : name;
    }

    /// <summary>A key (ID number, credit code, house code) as the department recorded it.</summary>
    public string Key(string key, bool numericCheck = true)
    {
        var u = rng.NextDouble();
        var r = rates;
        if ((u -= r.KeyMissing) < 0)
        {
            return string.Empty;
        }

        if ((u -= r.KeyFullWidth) < 0)
        {
            return FullWidth(key);
        }

        if ((u -= r.KeyTransposed) < 0)
        {
            var start = rng.Next(key.Length - 1);
            for (var k = 0; k < key.Length - 1; k++)
            {
                var i = (start + k) % (key.Length - 1);
                if (key[i] != key[i + 1])
                {
                    var chars = key.ToCharArray();
                    (chars[i], chars[i + 1]) = (chars[i + 1], chars[i]);
                    return new string(chars);
                }
            }

            return WrongCheck(key, numericCheck);
        }

        if ((u -= r.KeyDigitMissing) < 0)
        {
            var i = rng.Next(key.Length);
            return string.Concat(key.AsSpan(0, i), key.AsSpan(i + 1));
        }

        if ((u -= r.KeyWrongCheck) < 0)
        {
            return WrongCheck(key, numericCheck);
        }

        return key;
    }

    /// <summary>A phone number as recorded: sometimes in full-width digits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ReadOnlySpan<char> Phone(long phone)
    {
        if (phone == 0)
        {
            return [];
        }

        var fullWidth = rng.Chance(rates.PhoneFullWidth);
        for (var i = 10; i >= 0; i--)
        {
            var digit = (int)(phone % 10);
            _buffer[i] = fullWidth ? FullWidthDigits[digit] : (char)('0' + digit);
            phone /= 10;
        }

        return _buffer.AsSpan(0, 11);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private string WrongCheck(string key, bool numericCheck)
    {
        const string numeric = "0123456789X";
        var alphabet = numericCheck ? numeric : MasterData.Keys.CreditCode.Alphabet;
        var last = key[^1];
        char replacement;
        do
        {
            replacement = alphabet[rng.Next(alphabet.Length)];
        }
        while (replacement == last || (numericCheck && replacement == char.ToUpperInvariant(last)));

        return Replace(key, key.Length - 1, replacement);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private string Typo(string name)
    {
        // Keep the surname: clerks mistype given names far more often, and a surname typo would make a stranger.
        var i = name.Length > 1 ? 1 + rng.Next(name.Length - 1) : 0;
        char replacement;
        do
        {
            replacement = PersonNames.AllGivenCharacters[rng.Next(PersonNames.AllGivenCharacters.Length)][0];
        }
        while (replacement == name[i]);

        return Replace(name, i, replacement);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string FullWidth(string key) =>
        string.Create(key.Length, key, static (span, k) =>
        {
            for (var i = 0; i < k.Length; i++)
            {
                span[i] = char.IsAsciiDigit(k[i]) ? FullWidthDigits[k[i] - '0'] : k[i];
            }
        });

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string Replace(string text, int index, char replacement) =>
        string.Create(text.Length, (text, index, replacement), static (span, s) =>
        {
            s.text.AsSpan().CopyTo(span);
            span[s.index] = s.replacement;
        });
}
