namespace Zhiwang.Geo.Building;

/// <summary>
/// A smooth model of where Shenzhen's houses are: a low base everywhere plus Gaussian kernels around the
/// real urban centres. Only relative values matter (shares are normalised), so the unit is arbitrary.
/// Centres, weights and spreads are approximate, from general knowledge of the city, not from a survey.
/// </summary>
internal static class HouseDensity
{
    /// <summary>Villages, parks and hills still hold some houses; without a base, grids there would be enormous.</summary>
    private const double Base = 0.02;

    // Kilometres per degree at Shenzhen's latitude (about 22.6° N).
    private const double KmPerDegreeLongitude = 102.78;
    private const double KmPerDegreeLatitude = 110.72;

    private readonly record struct Kernel(string Centre, double Longitude, double Latitude, double Weight, double SigmaKm);

    private static readonly Kernel[] Kernels =
    [
        new("Futian CBD", 114.055, 22.538, 1.00, 2.2),
        new("Huaqiangbei / Futian centre", 114.085, 22.547, 0.85, 1.8),
        new("Luohu (Dongmen, Guiyuan)", 114.120, 22.550, 1.00, 2.2),
        new("Luohu east (Donghu, Liantang)", 114.160, 22.565, 0.45, 2.0),
        new("Nanshan centre", 113.928, 22.525, 0.85, 2.3),
        new("Shekou", 113.915, 22.488, 0.55, 1.6),
        new("Science Park / Yuehai", 113.950, 22.545, 0.60, 2.0),
        new("Xili", 113.955, 22.585, 0.40, 2.0),
        new("Bao'an Xin'an", 113.885, 22.565, 0.85, 2.3),
        new("Bao'an Xixiang", 113.868, 22.590, 0.75, 2.3),
        new("Bao'an Fuyong", 113.822, 22.668, 0.45, 2.5),
        new("Bao'an Shajing", 113.818, 22.728, 0.65, 2.8),
        new("Bao'an Songgang", 113.845, 22.770, 0.45, 2.5),
        new("Bao'an Shiyan", 113.930, 22.675, 0.35, 2.0),
        new("Longhua Minzhi", 114.040, 22.620, 0.85, 2.2),
        new("Longhua", 114.025, 22.655, 0.75, 2.3),
        new("Longhua Guanlan", 114.055, 22.730, 0.40, 2.5),
        new("Longgang Buji", 114.120, 22.605, 0.85, 2.3),
        new("Longgang Bantian", 114.065, 22.632, 0.60, 2.0),
        new("Longgang Pinghu", 114.125, 22.690, 0.40, 2.5),
        new("Longgang Henggang", 114.205, 22.650, 0.50, 2.5),
        new("Longgang Longcheng", 114.245, 22.720, 0.65, 2.8),
        new("Pingshan", 114.345, 22.695, 0.35, 3.0),
        new("Guangming", 113.935, 22.765, 0.35, 2.8),
        new("Guangming Gongming", 113.890, 22.790, 0.40, 2.5),
        new("Yantian", 114.245, 22.560, 0.30, 1.8),
        new("Pingshan Kengzi", 114.390, 22.748, 0.30, 2.0),
        new("Longgang Pingdi", 114.308, 22.770, 0.25, 2.0),
        new("Longhua Dalang", 114.010, 22.690, 0.40, 2.0),
        new("Guangming Fenghuang", 113.945, 22.722, 0.25, 2.0),
        new("Yantian Meisha", 114.312, 22.600, 0.10, 1.2),
        new("Dapeng Kuichong", 114.430, 22.630, 0.15, 2.0),
        new("Dapeng", 114.482, 22.590, 0.10, 1.5),
        new("Dapeng Nan'ao", 114.475, 22.545, 0.06, 1.0),
    ];

    /// <summary>Houses per unit area at a point (arbitrary unit; positive everywhere).</summary>
    public static double At(double longitude, double latitude)
    {
        var density = Base;
        foreach (var k in Kernels)
        {
            var dx = (longitude - k.Longitude) * KmPerDegreeLongitude;
            var dy = (latitude - k.Latitude) * KmPerDegreeLatitude;
            var d2 = (dx * dx) + (dy * dy);
            var s2 = k.SigmaKm * k.SigmaKm;
            // Beyond 5 sigma a kernel adds less than 4e-6 of its weight: skip the exp.
            if (d2 < 25 * s2)
            {
                density += k.Weight * Math.Exp(-d2 / (2 * s2));
            }
        }

        return density;
    }
}
