using System.Net;
using System.Net.Http.Json;
using Dapper;
using Zhiwang.Server.Uploads;
using Zhiwang.Storage;
using Zhiwang.Testing;

namespace Zhiwang.Server.Tests.Uploads;

/// <summary>
/// Upload jobs live in the database: the server started again lists them, a finished one with its summary and row
/// errors, one that was running when the server went down as interrupted; and a repeated upload says plainly that it
/// brought nothing new.
/// </summary>
public sealed class UploadJobRestartTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_uploads_page_lists_the_jobs_after_a_restart_and_a_job_cut_off_by_it_as_interrupted(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var directory = Directory.CreateTempSubdirectory("zhiwang-upload-restart-");
        try
        {
            var suffix = Guid.NewGuid().ToString("N")[..8];
            var file = UploadTests.Gbk(UploadTests.Header, UploadTests.Row($"GA-{suffix}-1", UploadTests.Person(1)), UploadTests.Row($"GA-{suffix}-2", UploadTests.Person(2)), UploadTests.Row("", UploadTests.Person(3)));
            UploadStatusResponse first, again;
            await using (var before = new SubmissionsAppFactory(database.Database.ConnectionString, directory))
            {
                using var steward = await before.SignedInAsync("data_steward");
                first = await UploadTests.UploadAsync(steward, null, "public_security_hukou.csv", file);
                again = await UploadTests.UploadAsync(steward, null, "public_security_hukou.csv", file);
            }

            // What a server killed in the middle of an import leaves behind: its last saved progress, still "reading",
            // with the batch it was reading into (here the first upload's, whose one refused row stands for the rows
            // refused before the stop); and a job another server sharing the database is running right now.
            var cutOff = Guid.NewGuid();
            var elsewhere = Guid.NewGuid();
            var now = TimeProvider.System.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
            await using (var connection = await database.Database.OpenConnectionAsync(CancellationToken.None))
            {
                await connection.ExecuteAsync(
                    """
                    INSERT INTO upload_job (job_id, department, file, uploaded_by, bytes, stage, rows_read, row_errors, batch_id, uploaded_at, started_at, saved_at)
                    VALUES (@cutOff, 'public_security', 'public_security_big.csv', 'steward', 1000000, 'reading', 40000, 1, @batch,
                            '2020-01-01T00:00:00.0000000Z', '2020-01-01T00:00:01.0000000Z', '2020-01-01T00:00:09.0000000Z'),
                           (@elsewhere, 'public_security', 'public_security_other.csv', 'steward', 1000000, 'reading', 500, 0, NULL, @now, @now, @now)
                    """,
                    new { cutOff = cutOff.ToString("D"), elsewhere = elsewhere.ToString("D"), now, batch = first.Summary!.BatchId });
            }

            await using var after = new SubmissionsAppFactory(database.Database.ConnectionString, directory);
            using var client = await after.SignedInAsync("data_steward");
            var page = await client.GetStringAsync(new Uri("/masterdata/uploads", UriKind.Relative));
            var done = await client.GetFromJsonAsync<UploadStatusResponse>(new Uri($"/api/masterdata/uploads/{first.Id}", UriKind.Relative));
            var repeated = await client.GetFromJsonAsync<UploadStatusResponse>(new Uri($"/api/masterdata/uploads/{again.Id}", UriKind.Relative));
            var interrupted = await client.GetFromJsonAsync<UploadStatusResponse>(new Uri($"/api/masterdata/uploads/{cutOff}", UriKind.Relative));
            var running = await client.GetFromJsonAsync<UploadStatusResponse>(new Uri($"/api/masterdata/uploads/{elsewhere}", UriKind.Relative));
            var interruptedPage = await client.GetStringAsync(new Uri($"/masterdata/uploads/{cutOff}", UriKind.Relative));
            var repeatedPage = await client.GetStringAsync(new Uri($"/masterdata/uploads/{again.Id}", UriKind.Relative));
            using var errors = await client.GetAsync(new Uri($"/api/masterdata/uploads/{first.Id}/errors.csv", UriKind.Relative));
            var errorsBeforeTheStop = await client.GetStringAsync(new Uri($"/api/masterdata/uploads/{cutOff}/errors.csv", UriKind.Relative));
            using var noErrors = await client.GetAsync(new Uri($"/api/masterdata/uploads/{elsewhere}/errors.csv", UriKind.Relative));

            first.Stage.ShouldBe(UploadStages.Done, first.Failure);
            done.ShouldNotBeNull().Stage.ShouldBe(UploadStages.Done);
            done.Summary.ShouldBe(first.Summary);
            done.Summary!.ShouldSatisfyAllConditions(s => s.Accepted.ShouldBe(2), s => s.Rejected.ShouldBe(1), s => s.Note.ShouldBeNull());
            repeated.ShouldNotBeNull().Summary.ShouldNotBeNull().ShouldSatisfyAllConditions(
                s => s.Accepted.ShouldBe(0),
                s => s.Unchanged.ShouldBe(2),
                s => s.BatchId.ShouldNotBe(done.Summary!.BatchId, "a repeated upload is a batch of its own: the audit of what was sent"),
                s => s.Note.ShouldBe("nothing new: all 2 readable records were already stored; 1 row was rejected (below)"));
            interrupted.ShouldNotBeNull().Stage.ShouldBe(UploadStages.Interrupted);
            interrupted.Rows.ShouldBe(40000);
            running.ShouldNotBeNull().Stage.ShouldBe(UploadStages.Reading, "another server is running it: it saved a moment ago");
            interrupted.Failure.ShouldNotBeNull().ShouldContain("the records already stored stay stored");
            page.ShouldContain("public_security_big.csv");
            page.ShouldContain("Interrupted after 40,000 rows read");
            page.ShouldContain($"/masterdata/uploads/{first.Id}");
            page.ShouldContain("Nothing new: all 2 readable records were already stored");
            interruptedPage.ShouldContain("id=\"interrupted\"");
            interruptedPage.ShouldContain("Rows refused before the stop");
            interruptedPage.ShouldContain($"/api/masterdata/uploads/{cutOff}/errors.csv");
            errorsBeforeTheStop.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(2, errorsBeforeTheStop);
            noErrors.StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound, "a job still reading elsewhere has no batch saved yet");
            repeatedPage.ShouldContain("Nothing new: all 2 readable records were already stored; 1 row was rejected (below).");
            errors.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await errors.Content.ReadAsStringAsync()).ShouldContain("public_security_hukou.csv,4,记录编号,no record id");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }
}
