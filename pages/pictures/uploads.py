"""The Markdown editor's image upload, through the same checks as the Image admin."""
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serving.access import staff_only

from ..models import Image
from ..text.markdown import ALT_PLACEHOLDER
from .images import clean_upload


@staff_only
@permission_required("pages.add_image", raise_exception=True)  # as the Image admin: 403 without it
@require_POST
def markdownx_upload(request):
    """Answers markdownx's drag-and-drop in the shape its JavaScript expects."""
    uploaded = request.FILES.get("image")
    if uploaded is None:
        return JsonResponse({"image": [_("Choose a picture to upload.")]}, status=400)
    try:
        clean_file = clean_upload(uploaded)
    except ValidationError as exc:
        return JsonResponse({"image": exc.messages}, status=400)
    image = Image(title=uploaded.name[:200])
    try:
        image.file.save(clean_file.name, clean_file, save=False)
        image.save()
    except OSError:
        # Full disk or read-only media folder: say so, and leave no half-written row behind.
        if image.file.name:
            image.file.storage.delete(image.file.name)
        return JsonResponse({"image": [_("The picture could not be stored. Please tell the site's administrator.")]},
                            status=507)
    # markdownx inserts this at the cursor: on a line of its own (a paragraph of its own, so it
    # never runs into the sentence around it), with a prompt where the alt text goes. The page
    # cannot be saved until the prompt is replaced by a description.
    return JsonResponse({"image_code": f"\n\n![{ALT_PLACEHOLDER}]({image.file.url})\n\n"})
