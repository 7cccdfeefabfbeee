"""The pages, one router per page or pair of pages."""
