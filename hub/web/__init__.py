"""The managers' web page: server-rendered HTML over the same services and privacy views as the API."""
