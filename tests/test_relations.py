"""Each relation pattern family on short sentences (real model)."""

import pytest

from conftest import facts_of, triples_of

pytestmark = pytest.mark.model


@pytest.mark.parametrize("text, expected", [
    # verbs, active and passive
    ("ISIS threatened Mark Zuckerberg in a video.", ("Islamic State", "threatens", "Mark Zuckerberg")),
    ("Mark Zuckerberg was threatened by al-Shabaab.", ("al-Shabaab", "threatens", "Mark Zuckerberg")),
    ("Killnet attacked Lockheed Martin last week.", ("Killnet", "attacks", "Lockheed Martin")),
    ("John Wilkes Booth, who assassinated President Lincoln, was an actor.", ("John Wilkes Booth", "attacks", "Lincoln")),
    ("Anonymous vowed that it would attack the Islamic State.", ("Anonymous", "threatens", "Islamic State")),
    # bans through holder nouns
    ("Twitter has suspended 125,000 accounts related to ISIS.", ("Twitter", "bans", "Islamic State")),
    ("Telegram blocked 78 IS-related channels.", ("Telegram", "bans", "Islamic State")),
    # platform use
    ("Boko Haram posted the video on YouTube.", ("Boko Haram", "usesPlatform", "YouTube")),
    ("Telegram, a messaging app popular with ISIS, refused.", ("Islamic State", "usesPlatform", "Telegram")),
    ("The Taliban created accounts on Telegram.", ("Taliban", "usesPlatform", "Telegram")),
    # roles
    ("Facebook CEO Mark Zuckerberg spoke on Monday.", ("Mark Zuckerberg", "worksFor", "Facebook")),
    ("Twitter's Jack Dorsey spoke on Monday.", ("Jack Dorsey", "worksFor", "Twitter")),
    ("Veryan Khan, editorial director at the Terrorism Research and Analysis Consortium, said so.",
     ("Veryan Khan", "worksFor", "Terrorism Research and Analysis Consortium")),
    ("Boko Haram leader Abubakar Shekau appeared in the video.", ("Abubakar Shekau", "leads", "Boko Haram")),
    ("Maria Olsen, vice president for research at Novartis, said the trial would resume.",
     ("Maria Olsen", "worksFor", "Novartis")),
    # affiliation, location, ownership, funding
    ("The reactors at the Hanford Site, in Richland, were shut down last year.", ("Hanford Site", "locatedIn", "Richland")),
    ("Cyber Caliphate, the hacking unit of ISIS, moved to Threema.", ("Cyber Caliphate", "affiliatedWith", "Islamic State")),
    ("Muhammad Sarur, based in Beirut, moved money.", ("Muhammad Sarur", "locatedIn", "Beirut")),
    ("They attacked the Westgate shopping mall in Nairobi.", ("Westgate shopping mall", "locatedIn", "Nairobi")),
    ("TikTok, which is owned by Chinese firm ByteDance, removed them.", ("ByteDance", "owns", "TikTok")),
    ("Iran funds Hezbollah.", ("Hezbollah", "fundedBy", "Iran")),
    # event nouns whose possessor is the victim, the accused, weapons, seats
    ("Sirhan Bishara Sirhan was convicted of Robert Kennedy's killing.", ("Sirhan Bishara Sirhan", "attacks", "Robert Kennedy")),
    ("Lee Harvey Oswald fired the shots that killed John Kennedy.", ("Lee Harvey Oswald", "attacks", "John Kennedy")),
    ("William McKinley's assassin Leon Czolgosz croons a ballad.", ("Leon Czolgosz", "attacks", "William McKinley")),
    ("Reporters met at Twitter headquarters in San Francisco.", ("Twitter", "locatedIn", "San Francisco")),
    ("Patriot Front is a hate group, formed in 2017 and active in Texas and Ohio.", ("Patriot Front", "locatedIn", "Ohio")),
    ("Patriot Front is an American hate group, active in Texas and Ohio.", ("Patriot Front", "locatedIn", "Texas")),
    ("The plane flew to Khartoum from Kassala in eastern Sudan.", ("Kassala", "locatedIn", "Sudan")),
    ("He was the mayor of Mohammadia, south-east Algeria.", ("Mohammadia", "locatedIn", "Algeria")),
])
def test_relations_pattern(nlp, text, expected):
    found = triples_of(facts_of(nlp, text))
    assert any(s.endswith(expected[0]) or expected[0].endswith(s) for s, p, o in found
               if p == expected[1] and (o.endswith(expected[2]) or expected[2] in o)), found


def test_relations_negation_blocks(nlp):
    found = triples_of(facts_of(nlp, "Twitter did not suspend accounts related to ISIS."))
    assert not any(p == "bans" for _, p, _ in found)


def test_relations_direction_matters(nlp):
    found = triples_of(facts_of(nlp, "Twitter suspended accounts linked to ISIS."))
    assert ("Twitter", "bans", "Islamic State") in found
    assert ("Islamic State", "bans", "Twitter") not in found


def test_relations_carry_rule_confidence_and_offsets(nlp):
    text = "Headline\n\nISIS threatened Mark Zuckerberg."
    facts = facts_of(nlp, text)
    (rel,) = [r for r in facts.relations if r.predicate == "threatens"]
    assert 0 < rel.evidence.confidence <= 1 and rel.evidence.rule
    assert text[rel.evidence.start:rel.evidence.end] == "ISIS threatened Mark Zuckerberg."


def test_relations_threat_becomes_event_with_medium_and_claim(nlp):
    facts = facts_of(nlp, "ISIS reportedly threatened Mark Zuckerberg in a video posted on Telegram.")
    (threat,) = facts.threats
    assert threat.actor == "group/islamic-state" and threat.target == "person/mark-zuckerberg"
    assert threat.medium == "platform/telegram" and threat.claimed


def test_relations_they_prefers_a_group(nlp):
    text = "Reuters reported that ISIS released a video. They claimed that they have hacked 5,000 Twitter accounts."
    found = triples_of(facts_of(nlp, text))
    assert ("Islamic State", "attacks", "Twitter") in found
    assert not any(s == "Reuters" for s, p, o in found if p == "attacks")


@pytest.mark.parametrize("text, outlet, place", [
    ("Talks resume\nOW1203045694 Tokyo SANKEI SHIMBUN in Japanese 0412 GMT 12 Mar 94\nThe talks resumed on Monday.",
     "SANKEI SHIMBUN", "Tokyo"),
    ("LD0911120094 Kiev Radio Ukraine World Service in Ukrainian 1100 GMT 9 Nov 94", "Radio Ukraine World Service", "Kiev"),
    ("Moscow ROSSIYSKAYA GAZETA\nThe paper reported new strikes.", "ROSSIYSKAYA GAZETA", "Moscow"),
])
def test_relations_monitoring_source_line_places_the_outlet(nlp, text, outlet, place):
    facts = facts_of(nlp, text)
    assert (outlet, "locatedIn", place) in triples_of(facts)
    types = {e.name: e.types[0] for e in facts.entities}
    assert types[outlet] == "Organization" and types[place] == "Location"


def test_relations_list_of_places_in_one_place(nlp):
    found = triples_of(facts_of(nlp, "Heavy rain flooded Baidoa, Afgooye and the Lower Shabelle region in southern Somalia."))
    assert ("Baidoa", "locatedIn", "Somalia") in found
    found = triples_of(facts_of(nlp, "The smugglers used roads in Mae Sai District in Chiang Rai Province, "
                                     "and Chiang Khong District in Nan Province."))
    assert ("Mae Sai District", "locatedIn", "Chiang Rai Province") in found
    assert ("Mae Sai District", "locatedIn", "Nan Province") not in found  # each item has its own place
