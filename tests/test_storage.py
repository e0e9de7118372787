import threading

from eduteach.storage.db import Database
from eduteach.storage.kv import DatabaseStore, RedisStore


def test_database_store_add_is_once_only_under_concurrency(db: Database) -> None:
    store = DatabaseStore(db)
    wins: list[bool] = []

    def claim() -> None:
        wins.append(store.add("nonce:abc", 1, 60))

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wins.count(True) == 1


def test_database_store_pop_hands_the_value_out_once(db: Database) -> None:
    store = DatabaseStore(db)
    store.set("state:1", {"nonce": "n"}, 60)
    assert store.get("state:1") == {"nonce": "n"}
    assert store.pop("state:1") == {"nonce": "n"}
    assert store.pop("state:1") is None


def test_expired_entries_are_gone_and_their_keys_reusable(db: Database) -> None:
    store = DatabaseStore(db)
    store.set("k", 1, 1)
    from datetime import timedelta

    from sqlalchemy import update

    from eduteach.storage.models import KeyValue, utcnow

    with db.session() as s:
        s.execute(update(KeyValue).values(expires_at=utcnow() - timedelta(seconds=5)))
    assert store.get("k") is None
    assert store.pop("k") is None
    assert store.add("k", 2, 60) is True


def test_redis_store_matches_the_database_store() -> None:
    import redis

    client = redis.Redis.from_url("redis://127.0.0.1:6379/15")
    store = RedisStore(client, prefix=f"test-{threading.get_ident()}:")
    try:
        assert store.add("n", 1, 60) is True
        assert store.add("n", 1, 60) is False
        store.set("s", {"a": 1}, 60)
        assert store.pop("s") == {"a": 1}
        assert store.pop("s") is None
    finally:
        for key in client.scan_iter(f"test-{threading.get_ident()}:*"):
            client.delete(key)


def test_database_store_set_from_many_workers_at_once_keeps_one_value(db: Database) -> None:
    store = DatabaseStore(db)
    start = threading.Barrier(8)
    failures: list[BaseException] = []

    def worker(n: int) -> None:
        start.wait()
        try:
            store.set("service-token", f"token-{n}", 60)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert store.get("service-token") in {f"token-{n}" for n in range(8)}
