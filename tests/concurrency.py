"""Running jobs at the same instant, each in its own thread with its own database connection (PAY-4, ORD-4)."""

import threading

JOIN_TIMEOUT = 60  # seconds; a deadlock or a lost lock shows as a thread still waiting


def run_together(jobs) -> tuple[list, list[BaseException]]:
    """Start every job at once (a barrier); returns (what the jobs returned, what they raised). Fails the test if a
    job is still waiting after JOIN_TIMEOUT."""
    from django.db import connection

    barrier = threading.Barrier(len(jobs))
    results, crashed = [], []
    lock = threading.Lock()

    def run(job):
        try:
            barrier.wait(timeout=30)
            outcome = job()
            with lock:
                results.append(outcome)
        except BaseException as error:  # returned to the test, which asserts on it
            with lock:
                crashed.append(error)
        finally:
            connection.close()  # each thread opened its own connection

    threads = [threading.Thread(target=run, args=(job,), daemon=True) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a job is still waiting: deadlock or lost lock"
    return results, crashed
