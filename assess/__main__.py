from assess.cli import main

if __name__ == "__main__":  # a report helper process (spawn) imports this module too
    main()
