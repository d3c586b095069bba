"""Issue 12, section 3: the picture rules hold however a picture is written."""
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from pages.models import Topic
from pages.text.markdown import validate_images_have_alt
from tests.helpers import change_form_data

pytestmark = pytest.mark.django_db


def messages_for(text):
    with pytest.raises(ValidationError) as caught:
        validate_images_have_alt(text)
    return " ".join(caught.value.messages)


@pytest.mark.parametrize("text", [
    "![][drawing]\n\n[drawing]: /static/favicon.svg",
    '<img src="/static/favicon.svg">',
    '<img src="/static/favicon.svg" alt="  ">',
    "![](/static/favicon.svg)",
])
def test_a_picture_without_alt_text_is_refused_however_it_is_written(text):
    assert "A picture has no description: /static/favicon.svg" in messages_for(text)


@pytest.mark.parametrize("text", [
    "![The clinic's logo][logo]\n\n[logo]: /static/favicon.svg",
    '<img src="/static/favicon.svg" alt="The clinic\'s logo">',
    "No picture at all.",
])
def test_pictures_with_alt_text_that_exist_pass(text):
    validate_images_have_alt(text)


@pytest.mark.parametrize("src", ["/media/images/gone.png", "/static/pages/referral/no-such.svg", "/images/x.png"])
def test_a_picture_that_is_not_a_file_of_the_site_is_refused_naming_the_path(src):
    assert f"The picture {src} is not a file on this site" in messages_for(f"![A drawing]({src})")


def test_an_uploaded_picture_passes(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    default_storage.save("images/neck.png", ContentFile(b"x"))
    validate_images_have_alt("![Neck muscles](/media/images/neck.png)")


def test_the_admin_refuses_a_missing_picture_and_names_it(staff_client, loaded):
    topic = Topic.objects.get()
    url = reverse("admin:pages_topic_change", args=[topic.pk])
    response = staff_client.post(url, {**change_form_data(staff_client, url), "body": "![A drawing](/media/nope.png)"})
    assert response.status_code == 200
    assert "The picture /media/nope.png is not a file on this site" in response.content.decode()
    topic.refresh_from_db()
    assert "nope.png" not in topic.body


def test_clinical_editors_may_add_and_change_pictures(loaded, make_staff):
    editor, desk = make_staff("clin", group="Clinical editor"), make_staff("desk", group="Front desk")
    assert editor.has_perms(["pages.add_image", "pages.change_image", "pages.view_image"])
    assert not desk.has_perm("pages.add_image")


def test_a_dragged_picture_lands_on_its_own_line_with_alt_text_to_fill_in(staff_client, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image as PILImage

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    PILImage.new("RGB", (20, 20), "red").save(buffer, "PNG")
    upload = SimpleUploadedFile("a.png", buffer.getvalue(), content_type="image/png")
    code = staff_client.post("/markdownx/upload/", {"image": upload}).json()["image_code"]
    assert code.startswith("\n\n![DESCRIBE THIS PICTURE](/media/images/") and code.endswith(")\n\n")
    # Until someone describes it, the page cannot be saved.
    assert "A picture has no description" in messages_for(f"Text before.{code}Text after.")


def test_text_without_a_picture_is_not_rendered_to_look_for_one(monkeypatch):
    # load_content validates thousands of files: only text that can hold a picture pays for a render.
    from pages.text import markdown

    def no_render(text, **options):
        raise AssertionError("rendered")

    monkeypatch.setattr(markdown, "render_markdown", no_render)
    markdown.validate_images_have_alt("Plain words, a [link](/faq/) and <b>bold</b>.")
    with pytest.raises(AssertionError, match="rendered"):
        markdown.validate_images_have_alt("A ![drawing](/static/x.png).")
    with pytest.raises(AssertionError, match="rendered"):
        markdown.validate_images_have_alt('Raw <IMG src="/static/x.png">.')


# --- Only this site's own pictures (issue 21) -------------------------------------------------

@pytest.mark.parametrize("src", ["https://tracker.example/pixel.png", "http://cdn.example/neck.jpg",
                                 "//tracker.example/pixel.png", "/\\tracker.example/pixel.png"])
def test_a_picture_from_another_website_is_refused_with_a_clear_message(src):
    message = messages_for(f"![A drawing]({src})")
    assert f"The picture {src} is on another website" in message
    assert "Upload it under Images" in message


@pytest.mark.parametrize("text", [
    "![A drawing](https://tracker.example/pixel.png)",
    '<img src="https://tracker.example/pixel.png" alt="A drawing">',
    '<img src="/static/favicon.svg" srcset="https://tracker.example/big.png 2x" alt="A drawing">',
    '<img src="//tracker.example/pixel.png" alt="A drawing">',
])
def test_a_picture_from_another_website_that_slipped_in_is_never_shown(text):
    from pages.pictures.rendering import render

    html = render(text).html
    assert "tracker.example" not in html


def test_pictures_of_this_site_are_still_shown():
    from pages.pictures.rendering import render

    assert 'src="/static/favicon.svg"' in render("![The logo](/static/favicon.svg)").html


def test_the_content_security_policy_lets_pictures_come_from_this_site_only(client, loaded):
    policy = client.get("/what-is-dry-needling/")["Content-Security-Policy"]
    directive = next(part.strip() for part in policy.split(";") if part.strip().startswith("img-src"))
    assert directive == "img-src 'self'"
