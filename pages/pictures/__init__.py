"""Pictures: uploads checked and re-encoded (images.py, uploads.py), served from the media
folder (media.py), and sized with their resized copies on patient pages (rendering.py)."""
