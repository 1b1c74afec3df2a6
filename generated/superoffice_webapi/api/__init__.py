"""One module per agent or entity folder; reach them through `Client`."""
