from eduteach.cli import run

run()
