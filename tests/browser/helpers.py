"""Small helpers shared by the browser tests."""
from selenium.webdriver.support.ui import WebDriverWait


def resize(driver, width, height=800):
    """Set the window size and wait until the page's viewport has that width (resizing is asynchronous)."""
    driver.set_window_size(width, height)
    WebDriverWait(driver, 10, poll_frequency=0.05).until(
        lambda d: d.execute_script("return innerWidth") == width,
        f"the window did not become {width}px wide",
    )
