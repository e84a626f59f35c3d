"""What the ledger's pages show that is more than a selector: the dashboard's figures and its charts."""
