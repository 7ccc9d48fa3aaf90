"""Acting on the analyses: audiences for the marketing tools founders already use (Klaviyo, Mailchimp, Shopify or
plain CSV), each with a suggested action, built from the pipeline's results (`insight.pipeline.acting`)."""

from insight.act.audiences import (
    Audience,
    AudienceFile,
    Audiences,
    leaving_audience,
    offer_audiences,
    segment_audiences,
)
from insight.act.contacts import contact_details, platform_gap, split_name
from insight.act.formats import FORMATS, PLATFORMS, SHOPIFY_COLUMNS, check_format

__all__ = [
    "FORMATS",
    "PLATFORMS",
    "SHOPIFY_COLUMNS",
    "Audience",
    "AudienceFile",
    "Audiences",
    "check_format",
    "contact_details",
    "leaving_audience",
    "offer_audiences",
    "platform_gap",
    "segment_audiences",
    "split_name",
]
