"""The SPARQL 1.1 Service Description of ``/sparql``, in Turtle: what a client asks with a bare ``GET /sparql``.

It says what the service speaks (SPARQL 1.1 Query, no update), the result
formats it can send, that the default graph is the union of all graphs when no
dataset is given, and which named graph holds the knowledge base and how large it
is. See https://www.w3.org/TR/sparql11-service-description/.
"""

from __future__ import annotations

#: W3C format IRIs (https://www.w3.org/ns/formats/) of what :mod:`.protocol` can send.
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "RDF_XML", "JSON-LD")


def service_description(endpoint: str, graph: str, triples: int) -> bytes:
    """The description of the service at ``endpoint`` whose data is ``triples`` triples in the named graph ``graph``."""
    formats = ", ".join(f"formats:{name}" for name in RESULT_FORMATS)
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix formats: <http://www.w3.org/ns/formats/> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

<{endpoint}> a sd:Service ;
    rdfs:label "t2dm-onto SPARQL endpoint (read-only)" ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:feature sd:UnionDefaultGraph ;
    sd:resultFormat {formats} ;
    sd:defaultDataset [
        a sd:Dataset ;
        sd:defaultGraph [ a sd:Graph ; void:triples {triples} ] ;
        sd:namedGraph [ a sd:NamedGraph ; sd:name <{graph}> ; sd:graph [ a sd:Graph ; void:triples {triples} ] ]
    ] .
""".encode()
