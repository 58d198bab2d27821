"""What a published SVG may hold: an allowlist of drawing elements and attributes, and style sheets without escapes,
imports or references to anything but the drawing's own parts (`url(#id)`)."""

from __future__ import annotations

import re

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

ELEMENTS = frozenset("""
svg g defs title desc symbol use image switch style
path rect circle ellipse line polyline polygon text tspan textPath
linearGradient radialGradient stop pattern clipPath mask marker
filter feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting
feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR feGaussianBlur feMerge
feMergeNode feMorphology feOffset fePointLight feSpecularLighting feSpotLight feTile feTurbulence
""".split())  # no script, foreignObject, a, animation (animate, set, animateMotion, animateTransform, discard)

ATTRIBUTES = frozenset("""
id class lang style transform viewBox preserveAspectRatio width height x y x1 y1 x2 y2 cx cy r rx ry fx fy fr
d points pathLength href version baseProfile role focusable tabindex
gradientUnits gradientTransform spreadMethod offset stop-color stop-opacity
patternUnits patternContentUnits patternTransform clipPathUnits maskUnits maskContentUnits
clip-path clip-rule mask markerWidth markerHeight markerUnits refX refY orient marker-start marker-mid marker-end
filter filterUnits primitiveUnits in in2 result stdDeviation dx dy rotate lengthAdjust textLength startOffset
method spacing side text-anchor dominant-baseline alignment-baseline baseline-shift
font font-family font-size font-size-adjust font-weight font-style font-variant font-stretch letter-spacing
word-spacing text-decoration writing-mode direction unicode-bidi
fill fill-opacity fill-rule stroke stroke-width stroke-linecap stroke-linejoin stroke-miterlimit stroke-dasharray
stroke-dashoffset stroke-opacity opacity color display visibility overflow vector-effect paint-order
shape-rendering text-rendering image-rendering color-interpolation color-interpolation-filters color-rendering
flood-color flood-opacity lighting-color mode operator k1 k2 k3 k4 values type tableValues slope intercept
amplitude exponent baseFrequency numOctaves seed stitchTiles scale xChannelSelector yChannelSelector radius
order kernelMatrix divisor bias targetX targetY edgeMode preserveAlpha surfaceScale diffuseConstant
specularConstant specularExponent kernelUnitLength azimuth elevation z pointsAtX pointsAtY pointsAtZ
limitingConeAngle mix-blend-mode isolation transform-origin transform-box enable-background media
aria-label aria-hidden aria-labelledby aria-describedby aria-roledescription
""".split())

FOREIGN_ATTRIBUTES = {XLINK_NS: {"href", "title"}, XML_NS: {"space", "lang"}}

# CSS functions a drawing may use: colours, lengths, transforms, gradients, filters; url() only to #id
CSS_FUNCTIONS = frozenset("""
url rgb rgba hsl hsla hwb lab lch oklab oklch color color-mix var calc min max clamp
translate translatex translatey scale scalex scaley rotate skew skewx skewy matrix
linear-gradient radial-gradient conic-gradient repeating-linear-gradient repeating-radial-gradient
blur drop-shadow brightness contrast grayscale hue-rotate invert opacity saturate sepia cubic-bezier steps
""".split())
COMMENT = re.compile(r"/\*.*?(\*/|$)", re.DOTALL)
FUNCTION = re.compile(r"(?<![@\w-])([A-Za-z_-][\w-]*)\(")  # a function token (an at-rule's name is not one)
URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
HINT = "remove it: an image must draw only, from inside the file"


def css_problems(css: str) -> list[tuple[str, str]]:
    """(needle to find its line, message) for each thing a style may not do: an escape, an at-rule that loads
    something, a function that could fetch (image-set(), ...), a url() to anything but #id."""
    text = COMMENT.sub(" ", css)
    found = []
    if "\\" in text:
        found.append(("\\", f"SVG style uses a CSS escape (\\); {HINT}"))
    if "@import" in text.lower():
        found.append(("@import", f"SVG style imports another file (@import); {HINT}"))
    elif re.search(r"@(?!media\b|keyframes\b|supports\b)", text, re.IGNORECASE):
        found.append(("@", f"SVG style uses an at-rule other than @media; {HINT}"))
    for _, target in URL.findall(text):
        if not target.strip().startswith("#"):
            found.append((target, f"SVG refers to '{target.strip()}' outside itself; {HINT}"))
    for name in sorted({n.lower() for n in FUNCTION.findall(text)} - CSS_FUNCTIONS):
        found.append((f"{name}(", f"SVG style uses {name}(), which a drawing may not (only colours, lengths, transforms, "
                            f"gradients, filters and url(#id)); {HINT}"))
    return found
