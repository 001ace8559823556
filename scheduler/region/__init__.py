"""Many branches at once: a region's weekly run, its shared float pool and a region generator.

``run_region`` runs the whole weekly job for every branch of a region folder in parallel
(a local process pool, or Ray), then sends the region's floaters where the first pass left
the costliest shortfall and rosters those branches again. ``generate_region`` writes a
seeded synthetic region of mixed-size branches.
"""

from scheduler.region.floats import (
    BranchNeed,
    FloatAssignment,
    FloatPlan,
    allocate_floaters,
    with_floaters,
)
from scheduler.region.generate import RegionFiles, generate_region
from scheduler.region.run import PoolReport, RegionResult, run_region
from scheduler.region.spec import Floater, RegionBranch, RegionSpec, load_region
from scheduler.region.worker import BranchOutcome, BranchTask, run_branch

__all__ = [
    "BranchNeed",
    "BranchOutcome",
    "BranchTask",
    "FloatAssignment",
    "FloatPlan",
    "Floater",
    "PoolReport",
    "RegionBranch",
    "RegionFiles",
    "RegionResult",
    "RegionSpec",
    "allocate_floaters",
    "generate_region",
    "load_region",
    "run_branch",
    "run_region",
    "with_floaters",
]
