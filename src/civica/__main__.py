from civica.cli.main import main

main()
