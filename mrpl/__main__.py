from mrpl.cli import main

main()
