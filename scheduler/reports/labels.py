"""Every word the report files show, in Chinese and English: one table, looked up by key.

A report module never writes a display literal itself; it asks :func:`label` (or a
:class:`Labels` bound to a language), so adding a language or rewording a heading touches
this file only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scheduler.domain import BranchConfig

LANGS = ("zh", "en")
"""Languages the report files are written in."""

LABELS: dict[str, tuple[str, str]] = {
    # Sheet and section titles
    "sheet_week": ("第{week}周", "Week {week}"),
    "sheet_coverage": ("岗位覆盖", "Coverage"),
    "sheet_people": ("人员汇总", "People"),
    "sheet_rules": ("规则报告", "Rule report"),
    "roster_title": ("{branch} 排班表 {label}", "{branch} roster {label}"),
    "coverage_title": ("{branch} 岗位覆盖 {label}", "{branch} coverage {label}"),
    "people_title": ("{branch} 人员汇总 {label}", "{branch} people {label}"),
    "rules_title": ("{branch} 规则报告 {label}", "{branch} rule report {label}"),
    "report_title": ("{branch} 排班报告 {label}", "{branch} roster report {label}"),
    "legend": ("图例", "Legend"),
    # Roster grid
    "staff_id": ("工号", "Staff no."),
    "name": ("姓名", "Name"),
    "week_hours": ("本周工时", "Week hours"),
    "on_duty": ("上班人数", "Staff working"),
    "off": ("休息", "Off"),
    "break_short": ("休", "break"),
    "free_short": ("机动", "free"),
    "break": ("休息(不计工时)", "Break (unpaid)"),
    "free": ("机动(培训/外拓/后台)", "Free (training, outreach, back office)"),
    "leave": ("请假", "Leave"),
    # Coverage
    "date": ("日期", "Date"),
    "slot": ("时段", "Hour"),
    "post": ("岗位", "Post"),
    "required": ("需求", "Required"),
    "assigned": ("已排", "Assigned"),
    "gap": ("差额", "Gap"),
    "reason": ("需求依据", "Why required"),
    "shortfall_note": (
        "红色: 已排人数少于需求 (共缺 {short:g} 人时)",
        "Red: fewer staff than required ({short:g} staff-hours short in all)",
    ),
    "no_shortfall_note": ("所有时段均已满足需求", "Every hour and post is fully covered"),
    # People
    "paid_hours": ("工时", "Paid hours"),
    "contract_hours": ("合同工时", "Contract hours"),
    "days_worked": ("出勤天数", "Days worked"),
    "weekend_days": ("周末天数", "Weekend days"),
    "late_shifts": ("晚班次数", "Late shifts"),
    "overtime_hours": ("加班工时", "Overtime hours"),
    "labour_cost": ("人工成本(元)", "Labour cost (CNY)"),
    "preferences_met": ("偏好满足", "Preferences met"),
    "preferences_total": ("偏好总数", "Preferences"),
    "total": ("合计", "Total"),
    # Rule report
    "solver": ("求解结果", "Solver"),
    "status": ("状态", "Status"),
    "objective": ("目标值", "Objective"),
    "best_bound": ("最优下界", "Best bound"),
    "gap_pct": ("相对差距", "Gap"),
    "wall_time": ("求解时间(秒)", "Solve time (s)"),
    "workers": ("线程数", "Workers"),
    "seed": ("随机种子", "Seed"),
    "variables": ("变量数", "Variables"),
    "constraints": ("约束数", "Constraints"),
    "rule": ("规则", "Rule"),
    "rule_description": ("规则说明", "What the rule asks"),
    "count": ("次数", "Count"),
    "amount": ("违反量", "Amount"),
    "cost": ("罚分", "Penalty"),
    "message": ("说明", "What happened"),
    "staff": ("人员", "Person"),
    "penalties": ("软规则罚分明细", "Soft-rule penalties"),
    "penalties_by_rule": ("按规则汇总", "Penalties by rule"),
    "no_penalties": ("没有任何软规则被违反", "No soft rule was violated"),
    "warnings": ("提示", "Warnings"),
    "no_warnings": ("没有提示", "No warnings"),
    "conflicts": ("冲突", "Conflicts"),
    "relaxation": ("解决办法", "To fix"),
    "na": ("无", "n/a"),
    # Charts and HTML
    "charts": ("图表", "Charts"),
    "chart_demand": (
        "客流预测与排班服务能力(每小时)",
        "Forecast demand vs staffed capacity per hour",
    ),
    "chart_wait": ("模拟预计等候时间(每小时)", "Predicted wait per hour (day simulation)"),
    "chart_gantt": ("排班甘特图", "Roster by person"),
    "chart_penalties": ("各规则罚分", "Penalties by rule"),
    "forecast_mean": ("预测客流", "Forecast customers"),
    "forecast_band": ("80% 预测区间", "80% interval"),
    "capacity": ("排班服务能力", "Staffed capacity"),
    "customers_per_hour": ("客户数/小时", "Customers per hour"),
    "wait_minutes": ("平均等候(分钟)", "Mean wait (min)"),
    "target": ("目标", "target"),
    "hour_of_week": ("时段", "Hour"),
    "note_no_forecast": (
        "未提供客流预测, 故不显示预测与服务能力对比图。",
        "No forecast was given, so the demand-vs-capacity chart is left out.",
    ),
    "note_no_simulation": (
        "未提供日内模拟结果, 故不显示预计等候时间图。",
        "No day simulation was given, so the predicted-wait chart is left out.",
    ),
    "note_no_requirements": (
        "未提供岗位需求, 覆盖表以排班结果中的需求为准。",
        "No requirement frame was given; coverage uses the roster result's own figures.",
    ),
    "note_capacity": (
        "服务能力 = 各渠道在岗人数 × 60 / 平均办理时长 × (1 - 损耗率); "
        "一人兼顾多个渠道时平均分摊。",
        "Capacity = staff on the channel's posts × 60 / handling minutes × (1 - shrinkage); "
        "a post serving several channels is shared equally.",
    ),
    "summary_people": ("人员", "People"),
    "summary_shifts": ("班次", "Shifts"),
    "summary_hours": ("总工时", "Paid hours"),
    "summary_short": ("缺口人时", "Staff-hours short"),
    "summary_cost": ("总罚分", "Total penalty"),
    "summary_covered": ("需求覆盖率", "Demand covered"),
    "generated": ("生成于 {when}", "Generated {when}"),
    # Calendars
    "calendar_name": ("{name} 排班 {label}", "{name} roster {label}"),
    "event_shift": ("{shift}: {posts}", "{shift}: {posts}"),
    "event_leave": ("{kind}", "{kind}"),
    "leave_annual": ("年假", "Annual leave"),
    "leave_sick": ("病假", "Sick leave"),
    "leave_training": ("培训", "Training"),
    "leave_mandatory": ("强制休假", "Mandatory leave"),
    "leave_other": ("其他假", "Other leave"),
    "not_approved": ("(未批准)", "(not approved)"),
    # Availability templates
    "template_sheet": ("申报", "availability"),
    "template_help_sheet": ("填写说明", "how to fill in"),
    "template_title": (
        "{name} ({staff_id}) 可用时段申报 {label}",
        "{name} ({staff_id}) availability {label}",
    ),
    "template_combined_title": ("{branch} 可用时段申报 {label}", "{branch} availability {label}"),
    "help_type": ("类型", "type"),
    "help_meaning": ("含义", "meaning"),
    "help_times": (
        "开始/结束: 24小时制 HH:MM (如 09:00、13:30); 都留空表示全天。",
        "start/end: 24-hour HH:MM (e.g. 09:00, 13:30); leave both empty for the whole day.",
    ),
    "help_rows": (
        "每行一项申报, 同一天可复制多行。预填的 可用 行表示当天任何班次都可以上班; "
        "不能上班就把类型改为 不可用。类型留空也按 不可用 读取。",
        "One declaration per row; copy a row for several on one day. The pre-filled 'available' "
        "rows mean any shift is fine that day; change the type to 'unavailable' for a day off. "
        "An empty type is read as unavailable.",
    ),
    "help_leave": (
        "请假: 类型选假别, 多日请假填写结束日期; 批准填 是/否。",
        "Leave: choose a leave type, give an end date for several days; approved is yes/no.",
    ),
    "help_weight": ("权重: 偏好强度 1-10 (默认 1)。", "weight: strength of a preference, 1-10."),
    "time_error": (
        "请填写 00:00 到 24:00 之间的时间, 如 09:30",
        "Enter a time 00:00-24:00, e.g. 09:30",
    ),
    "type_error": ("请从下拉列表中选择类型", "Choose a type from the list"),
    "weight_error": ("请填写 1 到 10 的整数", "Enter a whole number from 1 to 10"),
    "date_error": ("请填写本周内的日期", "Enter a date inside the week"),
    "approved_error": ("请填写 是 或 否", "Enter yes or no"),
}
"""Every label: key -> (Chinese, English). Values may hold ``str.format`` fields."""

WEEKDAYS: tuple[tuple[str, str], ...] = (
    ("周一", "Mon"),
    ("周二", "Tue"),
    ("周三", "Wed"),
    ("周四", "Thu"),
    ("周五", "Fri"),
    ("周六", "Sat"),
    ("周日", "Sun"),
)
"""Short weekday names, Monday first."""

TYPE_WORDS: dict[str, tuple[str, str]] = {
    "unavailable": ("不可用", "unavailable"),
    "available": ("可用", "available"),
    "preferred": ("希望上班", "preferred"),
    "undesired": ("不希望", "undesired"),
    "annual": ("年假", "annual"),
    "sick": ("病假", "sick"),
    "training": ("培训", "training"),
    "mandatory": ("强制休假", "mandatory"),
    "other": ("其他假", "other"),
}
"""Availability types as the availability reader accepts them: kind -> (Chinese, English)."""

TYPE_MEANINGS: dict[str, tuple[str, str]] = {
    "unavailable": ("这段时间不能上班 (不填时间 = 全天)", "cannot work then (no times = all day)"),
    "available": ("当天只能在这段时间上班 (必须填时间)", "can work only inside this window"),
    "preferred": ("希望在这段时间上班", "would like to work then"),
    "undesired": ("尽量不要在这段时间上班", "would rather not work then"),
    "annual": ("年假 (全天)", "annual leave (whole days)"),
    "sick": ("病假 (全天)", "sick leave (whole days)"),
    "training": ("脱产培训 (全天)", "training away from the branch (whole days)"),
    "mandatory": ("强制休假 (全天)", "mandatory leave (whole days)"),
    "other": ("其他假 (全天)", "other leave (whole days)"),
}
"""What each availability type means, for the template's help sheet."""


RULE_NAMES_ZH: dict[str, str] = {
    "qualification": "任职资格: 无有效资格不得上岗",
    "one_post_per_slot": "同一时段只在一个岗位, 且在班次内、休息外",
    "availability": "不在不可用、请假或申报时段外上班",
    "pinned_assignment": "保留主管固定的安排",
    "post_floor": "有最低人数的岗位(如大堂经理)每个营业小时有人",
    "manager_on_duty": "营业期间有负责人值班",
    "authoriser_present": "柜员工作时有授权人在岗",
    "dual_control": "双人管库: 两名合格人员共同开关金库",
    "ab_backup_pair": "AB角不同时缺岗",
    "ab_backup_cover": "A角不在时由B角顶岗",
    "incompatible_duties": "不相容岗位不在同一天由一人担任",
    "max_hours_per_day": "每日工时不超过上限",
    "max_hours_per_week": "每周工时不超过上限",
    "min_rest_between_shifts": "两个班次之间有足够休息",
    "min_days_off_per_week": "每周至少休息规定天数",
    "max_consecutive_days": "连续上班天数不超过上限",
    "min_consecutive_days": "连续上班天数不少于下限",
    "min_consecutive_days_off": "连续休息天数不少于下限",
    "max_weekends_worked": "上班周末数不超过上限",
    "forbidden_shift_sequence": "不出现禁止的班次衔接(如晚班接早班)",
    "total_hours": "周期总工时在上下限之内",
    "max_shifts_of_template": "同一班次的次数不超过上限",
    "shift_demand": "满足按班次规定的人数",
    "mentor_present": "见习员工只在师傅在岗时上班",
    "not_alone_together": "指定人员不单独两人同岗",
    "coverage_under": "各岗位每小时需要的人数到岗(按多等候时间加权)",
    "coverage_over": "各岗位人数不超过需要",
    "shift_demand_over": "按班次规定的人数不超过上限",
    "rotation_quota": "轮岗: 岗位工时在配额之内",
    "preferences": "满足希望上班、避开不希望的时段或班次",
    "contract_hours": "工时接近合同工时",
    "fair_weekends": "周末班公平分摊",
    "fair_late_shifts": "晚班公平分摊",
    "min_post_stint": "换岗前在岗时间不少于最短时长",
    "post_switches": "每人每天少换岗",
    "roster_stability": "重新排班时尽量少改动已发布的排班",
    "labour_cost": "人工成本(含加班溢价)尽量低",
}
"""What each catalogue rule asks, in Chinese (English comes from the catalogue itself)."""


def check_lang(lang: str) -> str:
    """Return ``lang`` if the report files can be written in it.

    Raises:
        ValueError: For a language other than ``zh`` or ``en``.
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be zh or en, not {lang!r}")
    return lang


def label(key: str, lang: str, **fields: object) -> str:
    """The label ``key`` in ``lang``, with ``fields`` filled in."""
    text = LABELS[key][LANGS.index(check_lang(lang))]
    return text.format(**fields) if fields else text


@dataclass(frozen=True)
class Labels:
    """The label table bound to one language and one branch configuration.

    Attributes:
        lang: ``zh`` or ``en``.
        config: The branch, for post, shift and channel names.
    """

    lang: str
    config: BranchConfig

    def __post_init__(self) -> None:
        check_lang(self.lang)

    @property
    def index(self) -> int:
        """0 for Chinese, 1 for English."""
        return LANGS.index(self.lang)

    def __call__(self, key: str, **fields: object) -> str:
        """The label ``key`` with ``fields`` filled in."""
        return label(key, self.lang, **fields)

    def post(self, post_id: str) -> str:
        """Display name of a post (its id if the configuration does not know it)."""
        for p in self.config.posts:
            if p.id == post_id:
                return p.name_zh if self.lang == "zh" else p.name_en
        return post_id

    def channel(self, channel_id: str) -> str:
        """Display name of a demand channel."""
        for c in self.config.channels:
            if c.id == channel_id:
                return c.name_zh if self.lang == "zh" else c.name_en
        return channel_id

    def shift(self, shift_id: str) -> str:
        """Display name of a shift template (the template's own name in Chinese)."""
        for s in self.config.shifts:
            if s.id == shift_id:
                return s.name if self.lang == "zh" else s.id
        return shift_id

    def weekday(self, day: dt.date) -> str:
        """Short weekday name of ``day``."""
        return WEEKDAYS[day.weekday()][self.index]

    def day(self, day: dt.date) -> str:
        """A day as a column heading, e.g. ``12-01 周二``."""
        return f"{day:%m-%d} {self.weekday(day)}"

    def type_word(self, kind: str) -> str:
        """The availability type word for ``kind`` in this language."""
        return TYPE_WORDS[kind][self.index]

    def rule(self, name: str) -> str:
        """What the named rule asks, in this language (empty for an unknown rule)."""
        from scheduler.domain.catalogue import RULES_BY_NAME

        if self.lang == "zh" and name in RULE_NAMES_ZH:
            return RULE_NAMES_ZH[name]
        info = RULES_BY_NAME.get(name)
        return info.description if info else ""

    def leave_kind(self, kind: str) -> str:
        """Display name of a leave kind."""
        key = f"leave_{kind}"
        return self(key) if key in LABELS else kind
