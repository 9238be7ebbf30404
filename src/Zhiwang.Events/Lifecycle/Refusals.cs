using System.Globalization;
using Zhiwang.Storage;

namespace Zhiwang.Events.Lifecycle;

/// <summary>
/// Why an action was refused. <see cref="Code"/> is stable: with its <see cref="Arguments"/> it is what department systems
/// branch on and what the pages say in the user's language. <see cref="Reason"/> says the same as an English sentence, for
/// the API. <see cref="Forbidden"/> when the actor may not (as opposed to the state or the request not allowing it).
/// </summary>
public sealed record Refusal(string Code, IReadOnlyDictionary<string, string> Arguments, string Reason, bool Forbidden = false);

/// <summary>Who may take an action: the code the pages name them by, and the English words for the sentence.</summary>
public sealed record Party(string Code, string English)
{
    public static Party Dispatcher { get; } = new("dispatcher", "a dispatcher covering the place");

    public static Party UnitHandler { get; } = new("unit_handler", "a handler of the responsible unit");

    public static Party UnitHandlerNotReporter { get; } = new("unit_handler_not_reporter", "a handler of the responsible unit who did not report it");

    public static Party AnyUnitDispatcherOrSupervisor { get; } =
        new("any_unit_dispatcher_or_supervisor", "a handler of a unit on the event, a dispatcher or a supervisor");

    public static Party Verifier { get; } = new("verifier", "the reporter, or the grid's worker who did not handle it");

    public static Party ReporterDispatcherOrSupervisor { get; } = new("reporter_dispatcher_or_supervisor", "the reporter, a dispatcher or a supervisor");

    public static Party Supervisor { get; } = new("supervisor", "a supervisor covering the place");

    public static Party Reporter { get; } = new("reporter", "the reporter");
}

/// <summary>
/// Every refusal's code. The API answers carry them as <c>code</c>; the server's event texts hold a sentence for each
/// (<c>R_</c> + code) in Chinese and English, so a new code needs both.
/// </summary>
public static class RefusalCodes
{
    public const string NotAllowedForActor = "not_allowed_for_actor";
    public const string NotAllowedInState = "not_allowed_in_state";
    public const string ReporterMayNotHandle = "reporter_may_not_handle";
    public const string HandlerMayNotVerify = "handler_may_not_verify";
    public const string ReopenPeriodEnded = "reopen_period_ended";
    public const string NotReopenable = "not_reopenable";
    public const string AlreadyRated = "already_rated";
    public const string EventNotFound = "event_not_found";
    public const string UnknownAction = "unknown_action";
    public const string UnknownToken = "unknown_token";
    public const string StaleRevision = "stale_revision";
    public const string ChangedMeanwhile = "changed_meanwhile";
    public const string TextTooLong = "text_too_long";
    public const string ReasonRequired = "reason_required";
    public const string ResultRequired = "result_required";
    public const string DepartmentOrLevelRequired = "department_or_level_required";
    public const string UnknownLevel = "unknown_level";
    public const string DepartmentsRequired = "departments_required";
    public const string MergeIntoRequired = "merge_into_required";
    public const string SatisfactionRequired = "satisfaction_required";
    public const string SatisfactionOutOfRange = "satisfaction_out_of_range";
    public const string MergeTargetMissing = "merge_target_missing";
    public const string MergeIntoItself = "merge_into_itself";
    public const string MergeTargetFinal = "merge_target_final";
    public const string NoHigherLevel = "no_higher_level";
    public const string UnknownDepartment = "unknown_department";
    public const string InstructionRequired = "instruction_required";
    public const string UnknownDuration = "unknown_duration";
    public const string NoUnitToSupervise = "no_unit_to_supervise";
    public const string AnswerRequired = "answer_required";
    public const string NoOpenOrder = "no_open_order";
    public const string PhotoMissing = "photo_missing";
    public const string PhotoEmpty = "photo_empty";
    public const string PhotoTooLarge = "photo_too_large";
    public const string PhotoNotImage = "photo_not_image";
    public const string TooManyPhotos = "too_many_photos";
}

/// <summary>
/// The refusals of the Events module, each with its code, its arguments and its English sentence in one place, so the
/// three never drift apart. Arguments are plain strings: codes of actions, states, parties, levels and departments (the
/// pages name them in the user's language), numbers written invariantly, times in ISO-8601 UTC, and lists of states joined
/// by commas.
/// </summary>
public static class Refusals
{
    public static Refusal NotAllowedFor(EventAction action, Party who) =>
        NotAllowedFor(action.Name(), $"{action.Name()} this event", who);

    /// <summary><paramref name="doing"/> is the English for what was refused: "open a supervision order".</summary>
    public static Refusal NotAllowedFor(string action, string doing, Party who) =>
        new(RefusalCodes.NotAllowedForActor, Args(("action", action), ("who", who.Code)), $"Only {who.English} may {doing}.", Forbidden: true);

    public static Refusal NotAllowedInState(EventAction action, EventState state, IReadOnlyList<EventState> allowed) =>
        new(RefusalCodes.NotAllowedInState,
            Args(("action", action.Name()), ("state", state.Name()), ("allowed", string.Join(",", allowed.Select(s => s.Name())))),
            $"An event that is {state.Name()} cannot be given '{action.Name()}'; that needs it to be {string.Join(" or ", allowed.Select(s => s.Name()))}.");

    public static Refusal ReporterMayNotHandle { get; } = new(RefusalCodes.ReporterMayNotHandle, Args(),
        "You reported this event, so you may not handle it (reporting and handling are kept apart).", Forbidden: true);

    public static Refusal HandlerMayNotVerify { get; } = new(RefusalCodes.HandlerMayNotVerify, Args(),
        "You handled this event, so you may not verify it (handling and verifying are kept apart).", Forbidden: true);

    public static Refusal ReopenPeriodEnded(DateTimeOffset until) =>
        new(RefusalCodes.ReopenPeriodEnded, Args(("until", Instant.Format(until))), $"The period to reopen this event ended at {until:yyyy-MM-dd HH:mm} UTC.");

    public static Refusal NotReopenable { get; } = new(RefusalCodes.NotReopenable, Args(), "This event cannot be reopened.");

    public static Refusal AlreadyRated { get; } = new(RefusalCodes.AlreadyRated, Args(), "This event has already been rated.");

    public static Refusal EventNotFound(long eventId) =>
        new(RefusalCodes.EventNotFound, Args(("event", eventId)), $"There is no event {eventId}.");

    /// <summary>The same for one the actor may not see: absent and out of scope look alike.</summary>
    public static Refusal EventNotVisible(long eventId) =>
        new(RefusalCodes.EventNotFound, Args(("event", eventId)), $"There is no event {eventId} you may see.");

    public static Refusal UnknownAction(string action) =>
        new(RefusalCodes.UnknownAction, Args(("action", action)),
            $"'{action}' is not an action; the actions are {string.Join(", ", Enum.GetValues<EventAction>().Select(a => a.Name()))}.");

    /// <summary>The same on the reporter's endpoints, which offer only the reporter's actions.</summary>
    public static Refusal NotAReporterAction(string action, IEnumerable<EventAction> reporterActions) =>
        new(RefusalCodes.UnknownAction, Args(("action", action)),
            $"'{action}' is not something a reporter does; a reporter may {string.Join(", ", reporterActions.Select(a => a.Name()))}.");

    public static Refusal UnknownToken { get; } = new(RefusalCodes.UnknownToken, Args(), "No event has this token.");

    public static Refusal StaleRevision(long revision, long current) =>
        new(RefusalCodes.StaleRevision, Args(("revision", revision), ("current", current)),
            $"The event changed since you loaded it (revision {revision}, now {current}); reload it and decide again.");

    public static Refusal ChangedMeanwhile { get; } = new(RefusalCodes.ChangedMeanwhile, Args(),
        "The event changed while this action was being taken; reload it and decide again.");

    public static Refusal TextTooLong(int max) =>
        new(RefusalCodes.TextTooLong, Args(("max", max)), $"reason and result are at most {max:N0} characters.");

    public static Refusal ReasonRequired(EventAction action) =>
        new(RefusalCodes.ReasonRequired, Args(("action", action.Name())), $"reason: required to {action.Name()} an event.");

    public static Refusal ResultRequired { get; } = new(RefusalCodes.ResultRequired, Args(), "result: required: what was done to settle the event.");

    public static Refusal DepartmentOrLevelRequired { get; } =
        new(RefusalCodes.DepartmentOrLevelRequired, Args(), "department or level: required to re-route an event.");

    public static Refusal UnknownLevel(string level) =>
        new(RefusalCodes.UnknownLevel, Args(("level", level)), $"level: '{level}' is not one of community, street, district, city.");

    public static Refusal DepartmentsRequired { get; } =
        new(RefusalCodes.DepartmentsRequired, Args(), "departments: required: the departments asked to handle jointly.");

    public static Refusal MergeIntoRequired { get; } = new(RefusalCodes.MergeIntoRequired, Args(), "mergeInto: required: the event this one duplicates.");

    public static Refusal SatisfactionRequired { get; } =
        new(RefusalCodes.SatisfactionRequired, Args(), "satisfaction: required: 1 (very dissatisfied) to 5 (very satisfied).");

    public static Refusal SatisfactionOutOfRange(int satisfaction) =>
        new(RefusalCodes.SatisfactionOutOfRange, Args(("satisfaction", satisfaction)),
            $"satisfaction: {satisfaction} is not from 1 (very dissatisfied) to 5 (very satisfied).");

    public static Refusal MergeTargetMissing(long target) =>
        new(RefusalCodes.MergeTargetMissing, Args(("event", target)),
            $"mergeInto: event {target} does not exist; a duplicate merges into another open event.");

    public static Refusal MergeIntoItself(long target) =>
        new(RefusalCodes.MergeIntoItself, Args(("event", target)), $"mergeInto: event {target} is this event; a duplicate merges into another open event.");

    public static Refusal MergeTargetFinal(long target, EventState state) =>
        new(RefusalCodes.MergeTargetFinal, Args(("event", target), ("state", state.Name())),
            $"mergeInto: event {target} is {state.Name()}; a duplicate merges into another open event.");

    public static Refusal NoHigherLevel { get; } =
        new(RefusalCodes.NoHigherLevel, Args(), "The event is already at city level; there is no higher level to escalate to.");

    /// <summary><paramref name="field"/> is the request's field that named it: <c>department</c> or <c>departments</c>.</summary>
    public static Refusal UnknownDepartment(string field, string department, int catalogueVersion) =>
        new(RefusalCodes.UnknownDepartment, Args(("department", department), ("version", catalogueVersion)),
            $"{field}: '{department}' is not a department of catalogue version {catalogueVersion}.");

    public static Refusal InstructionRequired(int max) =>
        new(RefusalCodes.InstructionRequired, Args(("max", max)), $"instruction: required, at most {max:N0} characters: what the unit must do.");

    public static Refusal UnknownDuration(string? within) =>
        new(RefusalCodes.UnknownDuration, Args(("within", within ?? "")),
            $"within: '{within}' is not a duration (e.g. 4h or 2d, on the business calendar).");

    public static Refusal NoUnitToSupervise(EventState state) =>
        new(RefusalCodes.NoUnitToSupervise, Args(("state", state.Name())), $"An event that is {state.Name()} is with no unit to supervise.");

    public static Refusal AnswerRequired(int max) =>
        new(RefusalCodes.AnswerRequired, Args(("max", max)), $"answer: required, at most {max:N0} characters: what the unit did.");

    public static Refusal NoOpenOrder(long eventId, long orderId) =>
        new(RefusalCodes.NoOpenOrder, Args(("event", eventId), ("order", orderId)), $"Event {eventId} has no open supervision order {orderId}.");

    public static Refusal PhotoMissing { get; } =
        new(RefusalCodes.PhotoMissing, Args(), "photo: send the image as multipart/form-data in the field 'photo'.");

    public static Refusal PhotoEmpty { get; } = new(RefusalCodes.PhotoEmpty, Args(), "photo: the file is empty.");

    public static Refusal PhotoTooLarge(long bytes, long maxMegabytes) =>
        new(RefusalCodes.PhotoTooLarge, Args(("bytes", bytes), ("max", maxMegabytes)), $"photo: {bytes:N0} bytes; a photo is at most {maxMegabytes} MB.");

    public static Refusal PhotoNotImage { get; } =
        new(RefusalCodes.PhotoNotImage, Args(), "photo: not a JPEG, PNG or WebP image (judged by its content, not its name).");

    public static Refusal TooManyPhotos(long eventId, long count, int max) =>
        new(RefusalCodes.TooManyPhotos, Args(("event", eventId), ("count", count), ("max", max)),
            $"Event {eventId} has {count} photos already; an event holds at most {max}.");

    private static Dictionary<string, string> Args(params (string Name, object Value)[] arguments) =>
        arguments.ToDictionary(a => a.Name, a => Convert.ToString(a.Value, CultureInfo.InvariantCulture) ?? "", StringComparer.Ordinal);
}
