"""A reading about a wetland food web, and the versions the fake model makes of it.

Self-written for these tests. Measured with ``eduteach.readability.measure``: the original
reads at about grade 12, the support version at about grade 2.8 (its target: grade 3, a
grade below the asked grade 4) and the advanced version at about grade 4.9 (target: grade 5).
"""

from __future__ import annotations

from typing import Any

TITLE = "Life in a wetland"
ORIGINAL = (
    "Wetlands are among the most productive ecosystems on the planet. They support a great "
    "variety of organisms in a small area. Sunlight provides the energy that water plants and "
    "algae capture through photosynthesis. Tiny zooplankton consume the algae, and small fish, "
    "tadpoles and insect larvae eat the zooplankton. Herons, turtles and raccoons sit at the top "
    "of this food web, hunting smaller consumers along the muddy shore. Decomposers such as "
    "bacteria and fungi break down dead organisms and return nutrients to the water. Because "
    "every population depends on several others, a large change in one population can ripple "
    "through the entire community. If a drought reduces the algae, the zooplankton population "
    "declines, and the animals that feed on zooplankton struggle to find enough food. Extra "
    "nutrients from fertilizer runoff can trigger huge algal blooms that use up the oxygen in "
    "the water. Scientists measure wetland populations over many seasons to predict how the "
    "community will respond to change. Protecting wetlands requires understanding the links "
    "between producers, consumers and decomposers."
)
SUPPORT = (
    "A wetland is a place with lots of water and mud. Many plants and animals live there. The "
    "sun gives light to the plants. Plants and algae use the light to make food. Tiny animals "
    "eat the algae. Small fish and tadpoles eat the tiny animals. Big birds and turtles eat the "
    "small fish. This is called a food web. Some living things break down dead plants and "
    "animals. They put good things back into the water and the mud. Every animal needs other "
    "living things for food. So a big change to one group can change the whole web. What if "
    "there is no rain for a long time? Then there is less algae. The tiny animals have less to "
    "eat, and there are fewer of them. Then the fish have less food too. Too much plant food "
    "from farms can also cause trouble. It makes too much algae grow. Then the water does not "
    "have enough air for the fish. Scientists count the animals in a wetland every year. They "
    "use what they count to guess what will happen next. To keep a wetland safe, we need to "
    "know how its living things are linked."
)
ADVANCED = (
    "A wetland is one of the busiest places on Earth. Many kinds of living things share a small "
    "space there. Sunlight gives energy to water plants and algae. They use it to make their own "
    "food. Tiny animals called zooplankton eat the algae. Small fish, tadpoles and young insects "
    "eat the tiny animals. Herons, turtles and raccoons are at the top of this food web. They "
    "hunt the smaller animals along the muddy shore. Decomposers such as fungi break down dead "
    "plants and animals. They put nutrients back into the water and the mud. Each group of "
    "living things needs several others. So a big change in one group can spread through the "
    "whole web. Suppose a dry summer leaves less algae. Then there are fewer zooplankton, and "
    "the fish that eat them may go hungry. Too much farm fertilizer can cause a different "
    "problem. It makes so much algae grow that the water runs low on oxygen, and fish can die. "
    "Scientists count the animals in a wetland each year. They use the counts to predict what "
    "will happen when things change. To protect a wetland, we need to know how all of its "
    "living things are linked."
)
CODES = ["RSS.4.ECO.1", "RSS.4.ECO.2"]


def modified() -> dict[str, Any]:
    """The model's answer to "grade 4, support and advanced, aligned to the two standards"."""
    return {
        "title": "Life in a wetland (grade 4)",
        "versions": [
            {
                "label": "Support",
                "text": SUPPORT,
                "glossary": [{"term": "algae", "meaning": "tiny plant-like living things"}],
                "standards": CODES,
                "changes": ["Short sentences and everyday words."],
            },
            {
                "label": "Advanced",
                "text": ADVANCED,
                "glossary": [],
                "standards": CODES,
                "changes": ["Kept the science words, explained in context."],
            },
        ],
    }
