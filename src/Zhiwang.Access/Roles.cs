namespace Zhiwang.Access;

/// <summary>What a user may do. Where they may do it is their scope (a division code).</summary>
public static class Roles
{
    /// <summary>Manages users, clients and settings; reads the audit log.</summary>
    public const string Administrator = "administrator";

    /// <summary>Keeps the master data clean: resolves conflicts, reviews linkage (数据管理员).</summary>
    public const string DataSteward = "data_steward";

    /// <summary>Collects and verifies on site in their grid (网格员).</summary>
    public const string GridWorker = "grid_worker";

    /// <summary>Accepts reports and routes those the rules cannot, re-routes returned events (分拨员, e.g. a 12345 operator).</summary>
    public const string Dispatcher = "dispatcher";

    /// <summary>Handles dispatched events for a department (事件处置); the user's department says which.</summary>
    public const string EventHandler = "event_handler";

    /// <summary>Supervises deadlines and closures (督办).</summary>
    public const string Supervisor = "supervisor";

    /// <summary>Runs a community site and its services (社区工作人员).</summary>
    public const string CommunityStaff = "community_staff";

    /// <summary>Reads dashboards and statistics (决策者).</summary>
    public const string DecisionMaker = "decision_maker";

    public static IReadOnlyList<string> All { get; } =
        [Administrator, DataSteward, GridWorker, Dispatcher, EventHandler, Supervisor, CommunityStaff, DecisionMaker];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}
