"""The sample branch's configuration: 14 staff, 8 posts, 5 channels, 3 A/B pairs.

It is built in code so that the files under ``data/sample_branch/`` can be regenerated and so
that tests can vary it. The week it is written for decides which qualifications expire.
"""

from __future__ import annotations

import datetime as dt

from scheduler.domain import (
    Authoriser,
    BackupPair,
    Branch,
    BranchConfig,
    BreakRule,
    Channel,
    DayHours,
    DualControl,
    DutyCover,
    HolidayCalendar,
    IncompatibleDuties,
    LabourRules,
    MandatoryLeaveRule,
    MentorPairing,
    Post,
    PostKind,
    Qualification,
    RotationQuota,
    ServiceTarget,
    ShiftTemplate,
    Staff,
    Weekday,
)

SAMPLE_BRANCH_ID = "SH-PD-001"


def _hours(start: str, end: str) -> DayHours:
    return DayHours(start=start, end=end)  # type: ignore[arg-type]


def sample_channels() -> list[Channel]:
    """The five demand channels of a retail branch."""
    return [
        Channel(
            id="cash",
            name_zh="现金柜台",
            name_en="Cash counter",
            aht_minutes=6.0,
            patience_minutes=25.0,
            shrinkage=0.10,
            target=ServiceTarget(service_level=0.8, within_minutes=10),
        ),
        Channel(
            id="noncash",
            name_zh="非现金柜台",
            name_en="Non-cash counter",
            aht_minutes=12.0,
            patience_minutes=30.0,
            shrinkage=0.10,
            target=ServiceTarget(service_level=0.8, within_minutes=15),
        ),
        Channel(
            id="lobby",
            name_zh="大堂引导",
            name_en="Lobby guidance",
            aht_minutes=3.0,
            shrinkage=0.15,
            target=ServiceTarget(service_level=0.8, within_minutes=5),
        ),
        Channel(
            id="wealth",
            name_zh="理财服务",
            name_en="Wealth desk",
            aht_minutes=25.0,
            patience_minutes=40.0,
            shrinkage=0.15,
            # Mostly by appointment: walk-ins accept a longer wait than at the counter.
            target=ServiceTarget(service_level=0.7, within_minutes=30),
        ),
        Channel(
            id="corporate",
            name_zh="对公业务",
            name_en="Corporate desk",
            aht_minutes=20.0,
            patience_minutes=40.0,
            shrinkage=0.15,
            target=ServiceTarget(service_level=0.7, within_minutes=30),
        ),
    ]


def sample_posts() -> list[Post]:
    """The eight posts of the sample branch."""
    return [
        Post(
            id="head",
            name_zh="网点负责人",
            name_en="Branch head",
            kind=PostKind.MANAGER,
            customer_facing=False,
            colour="#5d4037",
        ),
        Post(
            id="ops_supervisor",
            name_zh="运营主管",
            name_en="Operations supervisor",
            kind=PostKind.SUPERVISOR,
            sensitive=True,
            customer_facing=False,
            colour="#6a1b9a",
        ),
        Post(
            id="lobby",
            name_zh="大堂经理",
            name_en="Lobby manager",
            kind=PostKind.LOBBY,
            channels=["lobby"],
            min_staff=1,
            colour="#2e7d32",
        ),
        Post(
            id="cash_teller",
            name_zh="高柜柜员",
            name_en="Cash teller",
            kind=PostKind.TELLER,
            channels=["cash"],
            sensitive=True,
            colour="#c62828",
        ),
        Post(
            id="noncash_teller",
            name_zh="低柜柜员",
            name_en="Non-cash teller",
            kind=PostKind.TELLER,
            channels=["noncash"],
            colour="#ef6c00",
        ),
        Post(
            id="customer_manager",
            name_zh="客户经理",
            name_en="Customer manager",
            kind=PostKind.ADVISOR,
            channels=["lobby"],
            colour="#1565c0",
        ),
        Post(
            id="wealth_manager",
            name_zh="理财经理",
            name_en="Wealth manager",
            kind=PostKind.ADVISOR,
            channels=["wealth"],
            colour="#00838f",
        ),
        Post(
            id="corporate_manager",
            name_zh="对公客户经理",
            name_en="Corporate manager",
            kind=PostKind.ADVISOR,
            channels=["corporate"],
            colour="#455a64",
        ),
    ]


def _q(post: str, valid_to: dt.date | None = None) -> Qualification:
    return Qualification(post=post, valid_to=valid_to)


def sample_staff(week_start: dt.date) -> list[Staff]:
    """Fourteen people with overlapping skills; two qualifications expire mid-week."""
    expiring = week_start + dt.timedelta(days=2)  # valid to Wednesday
    return [
        Staff(
            id="S01",
            name="王建国",
            employment_start=dt.date(2003, 7, 1),
            home_post="head",
            hourly_rate=120,
            qualifications=[_q("head"), _q("ops_supervisor"), _q("lobby")],
        ),
        Staff(
            id="S02",
            name="李敏",
            employment_start=dt.date(2010, 3, 15),
            home_post="ops_supervisor",
            hourly_rate=90,
            qualifications=[_q("ops_supervisor"), _q("cash_teller"), _q("noncash_teller")],
        ),
        Staff(
            id="S03",
            name="张伟",
            employment_start=dt.date(2014, 9, 1),
            home_post="ops_supervisor",
            hourly_rate=85,
            qualifications=[_q("ops_supervisor"), _q("cash_teller"), _q("noncash_teller")],
        ),
        Staff(
            id="S04",
            name="刘洋",
            employment_start=dt.date(2016, 4, 1),
            home_post="cash_teller",
            hourly_rate=65,
            qualifications=[_q("cash_teller"), _q("noncash_teller")],
        ),
        Staff(
            id="S05",
            name="陈静",
            employment_start=dt.date(2018, 8, 20),
            home_post="cash_teller",
            hourly_rate=60,
            qualifications=[_q("cash_teller"), _q("noncash_teller"), _q("lobby")],
        ),
        Staff(
            id="S06",
            name="杨帆",
            employment_start=dt.date(2020, 2, 10),
            home_post="noncash_teller",
            hourly_rate=55,
            qualifications=[
                _q("noncash_teller"),
                _q("cash_teller", valid_to=expiring),
                _q("ops_supervisor"),
            ],
        ),
        Staff(
            id="S07",
            name="赵磊",
            employment_start=dt.date(2021, 7, 5),
            home_post="noncash_teller",
            hourly_rate=55,
            qualifications=[_q("noncash_teller"), _q("lobby"), _q("cash_teller")],
        ),
        Staff(
            id="S08",
            name="黄丽",
            employment_start=dt.date(2012, 5, 1),
            home_post="lobby",
            hourly_rate=65,
            qualifications=[_q("lobby"), _q("customer_manager")],
        ),
        Staff(
            id="S09",
            name="周杰",
            employment_start=dt.date(2019, 11, 11),
            home_post="lobby",
            hourly_rate=55,
            qualifications=[_q("lobby"), _q("noncash_teller"), _q("customer_manager")],
        ),
        Staff(
            id="S10",
            name="吴芳",
            employment_start=dt.date(2015, 6, 1),
            home_post="customer_manager",
            hourly_rate=75,
            qualifications=[_q("customer_manager"), _q("lobby"), _q("wealth_manager")],
        ),
        Staff(
            id="S11",
            name="徐强",
            employment_start=dt.date(2008, 1, 2),
            home_post="corporate_manager",
            hourly_rate=85,
            qualifications=[_q("corporate_manager"), _q("customer_manager")],
        ),
        Staff(
            id="S12",
            name="孙悦",
            employment_start=dt.date(2013, 10, 8),
            home_post="wealth_manager",
            hourly_rate=85,
            qualifications=[_q("wealth_manager"), _q("customer_manager"), _q("lobby")],
        ),
        Staff(
            id="S13",
            name="马超",
            employment_start=dt.date(2022, 3, 1),
            home_post="wealth_manager",
            hourly_rate=70,
            qualifications=[
                _q("wealth_manager", valid_to=expiring),
                _q("customer_manager"),
                _q("corporate_manager"),
            ],
        ),
        Staff(
            id="S14",
            name="朱琳",
            employment_start=dt.date(2025, 9, 1),
            home_post="noncash_teller",
            hourly_rate=40,
            part_time=True,
            contract_hours_per_week=24,
            trainee_of="S04",
            qualifications=[_q("noncash_teller"), _q("lobby")],
        ),
    ]


def sample_shifts() -> list[ShiftTemplate]:
    """Day, early, late and weekend shifts around 09:00-17:00 opening."""
    lunch = BreakRule(minutes=60, earliest="11:00", latest_end="14:00")  # type: ignore[arg-type]
    return [
        ShiftTemplate(
            id="day",
            name="全天班",
            start="08:30",
            end="17:30",  # type: ignore[arg-type]
            break_rule=lunch,
        ),
        ShiftTemplate(id="early", name="早班", start="08:30", end="13:00"),  # type: ignore[arg-type]
        ShiftTemplate(
            id="late",
            name="晚班",
            start="12:30",
            end="17:30",  # type: ignore[arg-type]
            late=True,
        ),
        ShiftTemplate(
            id="weekend",
            name="周末班",
            start="08:30",
            end="16:30",  # type: ignore[arg-type]
            break_rule=lunch,
        ),
    ]


def sample_config(week_start: dt.date) -> BranchConfig:
    """The sample branch as it stands for the week starting ``week_start``."""
    weekday = _hours("09:00", "17:00")
    weekend = _hours("09:00", "16:00")
    branch = Branch(
        id=SAMPLE_BRANCH_ID,
        name="浦东新区示范支行",
        opening_hours={
            Weekday.MON: weekday,
            Weekday.TUE: weekday,
            Weekday.WED: weekday,
            Weekday.THU: weekday,
            Weekday.FRI: weekday,
            Weekday.SAT: weekend,
            Weekday.SUN: weekend,
        },
        calendar=HolidayCalendar(
            country="CN", holiday_hours=_hours("10:00", "15:00"), pension_days=[10]
        ),
    )
    return BranchConfig(
        branch=branch,
        channels=sample_channels(),
        posts=sample_posts(),
        staff=sample_staff(week_start),
        shifts=sample_shifts(),
        labour=LabourRules(
            max_hours_per_day=9,
            max_hours_per_week=44,
            min_rest_hours=12,
            min_days_off_per_week=2,
            max_consecutive_days=6,
            min_consecutive_days_off=1,
            max_weekends_worked=1,
            forbidden_sequences=[("late", "early")],
        ),
        backup_pairs=[
            BackupPair(post="ops_supervisor", a="S02", b="S03"),
            BackupPair(post="cash_teller", a="S04", b="S05"),
            BackupPair(post="lobby", a="S08", b="S09"),
        ],
        incompatible_duties=[
            IncompatibleDuties(
                posts=("ops_supervisor", "cash_teller"),
                reason="an authoriser may not authorise their own transactions",
            ),
        ],
        dual_control=[
            DualControl(name="vault", qualified_posts=["ops_supervisor", "cash_teller"], people=2),
        ],
        duty_cover=[DutyCover(name="manager on duty", qualified_posts=["head", "ops_supervisor"])],
        authorisers=[
            Authoriser(post="ops_supervisor", supervises=["cash_teller", "noncash_teller"])
        ],
        rotation_quotas=[
            RotationQuota(
                name="customer managers on the floor",
                staff=["S10", "S11"],
                posts=["customer_manager", "lobby", "wealth_manager"],
                min_share=0.5,
            ),
            RotationQuota(
                name="cash teller rotation",
                staff=["S04", "S05"],
                posts=["cash_teller"],
                max_share=0.8,
            ),
        ],
        mandatory_leave=MandatoryLeaveRule(posts=["ops_supervisor", "cash_teller"], working_days=5),
        mentors=[MentorPairing(trainee="S14", mentor="S04")],
    )
