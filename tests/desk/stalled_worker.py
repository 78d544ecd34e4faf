"""A worker process that claims an export job and then hangs: for the kill -9 test.

Usage: python -m tests.desk.stalled_worker URL JOB_ID
Prints ``claimed <token>`` once it holds the job, then sleeps until killed.
"""

from __future__ import annotations

import datetime as dt
import sys
import time

from storage import Store


def main(url: str, job_id: int) -> None:
    with Store(url) as store:
        job = store.operators.claim_export(job_id=job_id, lease=dt.timedelta(seconds=30))
        print(f"claimed {job.claim_token if job else None}", flush=True)
        while True:
            time.sleep(60)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
