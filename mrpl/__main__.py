from mrpl.cli import run

run()
