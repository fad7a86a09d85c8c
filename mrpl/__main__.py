from mrpl.console import run

run()
