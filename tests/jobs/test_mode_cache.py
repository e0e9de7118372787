import threading

from eduteach.content.endpoint import DatabaseModeCache
from eduteach.generation import StructuredMode
from eduteach.storage.db import Database


def test_many_workers_learning_the_mode_at_once_all_succeed(db: Database) -> None:
    cache = DatabaseModeCache(db)
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def learn() -> None:
        barrier.wait()
        try:
            cache.set("http://llm.example/v1/", "m", StructuredMode.JSON_OBJECT_SCHEMA)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=learn) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert cache.get("http://llm.example/v1", "m") is StructuredMode.JSON_OBJECT_SCHEMA
    cache.set("http://llm.example/v1", "m", StructuredMode.PROMPT)
    assert cache.get("http://llm.example/v1", "m") is StructuredMode.PROMPT
