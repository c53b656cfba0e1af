"""Request and response shapes of the API: separate create and public models per concept."""
