"""The alliance vocabulary view: the words each alliance adopted, for forms and labels."""
