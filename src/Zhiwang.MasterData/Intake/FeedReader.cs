using System.Runtime.CompilerServices;

namespace Zhiwang.MasterData.Intake;

/// <summary>One row of a department file: the record it became, or the reason it could not be used.</summary>
public readonly record struct FeedRow(ParsedRecord? Record, RowError? Error)
{
    public bool IsError => Error is not null;
}

/// <summary>How far the reading of a file has come.</summary>
public sealed record FeedProgress(string File, long Rows, long Errors, long Bytes, long? TotalBytes);

/// <summary>
/// Reads a department file by its declaration: each row validated, cleansed and turned into a
/// <see cref="ParsedRecord"/>, or a <see cref="RowError"/> that never stops the rows after it. A file that cannot
/// be read at all (a declared column missing, an encoding that is neither UTF-8 nor GBK, a workbook that is not a
/// zip) raises <see cref="FeedFileException"/> before the first row.
/// </summary>
public static class FeedReader
{
    private const int ProgressEvery = 16_384;

    public static IAsyncEnumerable<FeedRow> ReadAsync(FeedDeclaration feed, string path, AddressIndex? addresses, CancellationToken cancellationToken) =>
        ReadAsync(feed, path, addresses, null, cancellationToken);

    public static IAsyncEnumerable<FeedRow> ReadAsync(FeedDeclaration feed, string path, AddressIndex? addresses, IProgress<FeedProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feed);
        return ReadAsync(feed, () => Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16)),
            Path.GetFileName(path), addresses, progress, cancellationToken);
    }

    /// <summary>Reads an upload or an API body. A stream that cannot seek is first copied to a temporary file: xlsx and encoding detection need to seek, and synchronous reads of a request body are not allowed.</summary>
    public static IAsyncEnumerable<FeedRow> ReadAsync(FeedDeclaration feed, Stream stream, string fileName, AddressIndex? addresses, IProgress<FeedProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(stream);
        return ReadAsync(feed, () => Seekable(stream, cancellationToken), Path.GetFileName(fileName), addresses, progress, cancellationToken);
    }

    public static IAsyncEnumerable<FeedRow> ReadAsync(FeedDeclaration feed, Stream stream, string fileName, AddressIndex? addresses, CancellationToken cancellationToken) =>
        ReadAsync(feed, stream, fileName, addresses, null, cancellationToken);

    private static async IAsyncEnumerable<FeedRow> ReadAsync(
        FeedDeclaration feed, Func<Task<Stream>> open, string fileName, AddressIndex? addresses, IProgress<FeedProgress>? progress,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stream = await open();
        using var source = Open(feed, stream, fileName);
        var plan = new FeedPlan(feed, source, addresses, checkColumns: feed.Format != FeedFormat.JsonLines);
        long rows = 0, errors = 0;
        while (source.Read())
        {
            var row = plan.Map(source);
            rows++;
            if (row.IsError)
            {
                errors++;
            }

            if (rows % ProgressEvery == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(new FeedProgress(fileName, rows, errors, source.Position, source.Length));
            }

            yield return row;
        }

        progress?.Report(new FeedProgress(fileName, rows, errors, source.Length ?? source.Position, source.Length));
    }

    private static RowSource Open(FeedDeclaration feed, Stream stream, string fileName)
    {
        try
        {
            return feed.Format switch
            {
                FeedFormat.Csv => new DelimitedSource(stream, fileName, feed.Encoding, feed.Separator is { Length: 1 } s ? s[0] : ',', quoting: true, feed.Department),
                FeedFormat.Delimited => new DelimitedSource(stream, fileName, feed.Encoding, feed.Separator![0], quoting: false, feed.Department),
                FeedFormat.JsonLines => new JsonLinesSource(stream, fileName),
                FeedFormat.Xlsx => new XlsxSource(stream, fileName, feed.Sheet!, feed.Department),
                _ => throw new FeedFileException(feed.Department, fileName, null, $"format {feed.Format} is not supported"),
            };
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static async Task<Stream> Seekable(Stream stream, CancellationToken cancellationToken)
    {
        if (stream.CanSeek)
        {
            return stream;
        }

        var spool = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        try
        {
            await stream.CopyToAsync(spool, cancellationToken);
            spool.Position = 0;
            return spool;
        }
        catch
        {
            await spool.DisposeAsync();
            throw;
        }
    }
}
