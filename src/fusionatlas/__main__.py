from fusionatlas.cli import main

main()
