"""``appeal batch``: a sign-up sheet in, a print-ready pack out.

    from appeal.api import load_case
    from appeal.batch import BatchOptions, run_batch
    result = run_batch(load_case("ua-100.21"), Path("attendees.csv"), Path("night"),
                       BatchOptions(formats=("pdf",), duplex=True))
    print(result.made, result.failed_rows)
"""

from .run import BatchOptions, BatchResult, letter_made, run_batch

__all__ = ["BatchOptions", "BatchResult", "letter_made", "run_batch"]
