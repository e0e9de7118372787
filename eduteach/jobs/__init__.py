"""Background work: generation jobs now, grade delivery later.

Job state lives in the database, so any worker can show a job's progress. In the embedded
mode jobs run on threads inside the web process; with ``EDUTEACH_REDIS_URL`` they go to
RQ workers (``eduteach worker``) on any number of hosts.
"""
