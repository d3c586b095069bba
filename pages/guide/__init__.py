"""The guide patients read: its public views, search (index, query, English and Spanish
vocabularies), the body map, structured data for search engines, and the sitemap."""
