"""`interdict network` against networkx on published networks: every centrality, directed and
undirected, weighted and not; summaries; fragmentation curves; bad input."""
import csv
import json

import pytest

from conftest import ROOT

nx = pytest.importorskip("networkx")  # Debian python3-networkx, installed by test.sh

DATA = ROOT / "tests" / "data" / "networks"
NETWORKS = {"karate.csv": False, "caviar.csv": True, "cielnet.csv": True}  # file: adjacency?


def load(name, directed):
    """The file as networkx sees it, with interdict's rule for repeated ties (largest weight)."""
    G = nx.DiGraph() if directed else nx.Graph()
    path = DATA / name
    if NETWORKS[name]:
        rows = list(csv.reader(open(path, encoding="utf-8-sig")))
        labels = rows[0][1:]
        G.add_nodes_from(labels)
        triples = [(r[0], labels[j], float(v)) for r in rows[1:] for j, v in enumerate(r[1:])]
    else:
        lines = [l for l in open(path) if not l.startswith(("#", "source"))]
        triples = [(a, b, float(w)) for a, b, w in (l.strip().split(",") for l in lines)]
    for a, b, w in triples:
        if w > 0 and a != b:
            old = G.get_edge_data(a, b, {}).get("weight", 0)
            G.add_edge(a, b, weight=max(w, old))
    return G


def reference(G, measure, weighted):
    weight = "weight" if weighted else None
    return {"degree": lambda: nx.degree_centrality(G),
            "betweenness": lambda: nx.betweenness_centrality(G, weight=weight),
            "closeness": lambda: nx.closeness_centrality(G, distance=weight),
            "eigenvector": lambda: nx.eigenvector_centrality(G, weight=weight),
            "katz": lambda: nx.katz_centrality(G, weight=weight)}[measure]()


@pytest.mark.parametrize("name", list(NETWORKS))
@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("measure", ["degree", "betweenness", "closeness", "eigenvector", "katz"])
def test_centralities_match_networkx(run_cli, name, directed, weighted, measure):
    G = load(name, directed)
    args = ["network", DATA / name, "--measure", measure, "--json"]
    args += (["--directed"] if directed else []) + (["--weighted"] if weighted else [])
    proc = run_cli(*args)
    try:
        expected = reference(G, measure, weighted)
    except nx.PowerIterationFailedConvergence:
        # Where networkx's power iteration fails, interdict's fails too, and says why.
        assert proc.returncode == 1
        assert "did not converge" in proc.stderr
        return
    assert proc.returncode == 0, proc.stderr
    values = json.loads(proc.stdout)["values"]
    assert set(values) == set(map(str, G.nodes))
    for node, value in expected.items():
        assert values[str(node)] == pytest.approx(value, abs=1e-9), node


@pytest.mark.parametrize("name", list(NETWORKS))
def test_summary_matches_networkx(run_cli, name):
    G = load(name, False)
    proc = run_cli("network", DATA / name, "--json")
    assert proc.returncode == 0, proc.stderr
    s = json.loads(proc.stdout)
    assert s["nodes"] == G.number_of_nodes() and s["ties"] == G.number_of_edges()
    components = sorted((len(c) for c in nx.connected_components(G)), reverse=True)
    assert s["components"] == len(components) and s["component_sizes"] == components
    assert s["density"] == pytest.approx(nx.density(G))
    assert s["global_efficiency"] == pytest.approx(nx.global_efficiency(G))
    degree = nx.degree_centrality(G)
    n = len(G)
    freeman = sum(max(degree.values()) - d for d in degree.values()) / (n - 2)
    assert s["degree_centralisation"] == pytest.approx(freeman)


def test_fragmentation_curve_follows_the_strategy(run_cli):
    G = load("karate.csv", False)
    proc = run_cli("network", DATA / "karate.csv", "--fragmentation", "degree", "--json")
    assert proc.returncode == 0, proc.stderr
    steps = json.loads(proc.stdout)["steps"]
    assert len(steps) == 34
    degree = dict(G.degree())
    # Ranked once by degree, ties to the earlier node in the file.
    order = [s["removed"] for s in steps]
    assert [degree[v] for v in order] == sorted(degree.values(), reverse=True)
    for k, step in enumerate(steps[:10]):
        H = G.copy()
        H.remove_nodes_from(order[:k + 1])
        largest = max((len(c) for c in nx.connected_components(H)), default=0)
        assert step["largest_component_fraction"] == pytest.approx(largest / 34)
    assert steps[-1]["largest_component_fraction"] == 0
    # Recomputed betweenness dismantles faster than the same ranking kept from the start.
    curve = {}
    for extra in ([], ["--recompute"]):
        proc = run_cli("network", DATA / "karate.csv", "--fragmentation", "betweenness", "--json",
                       *extra)
        curve[bool(extra)] = [s["largest_component_fraction"] for s in json.loads(proc.stdout)["steps"]]
    assert sum(curve[True][:8]) <= sum(curve[False][:8])


def test_text_output_and_graphml(run_cli):
    proc = run_cli("network", DATA / "small.graphml")
    assert proc.returncode == 0, proc.stderr
    assert "graphml, undirected" in proc.stdout and "nodes                       5" in proc.stdout
    proc = run_cli("network", DATA / "small.graphml", "--measure", "betweenness")
    assert proc.stdout.splitlines()[0] == "node\tbetweenness"
    assert "c\t0.8333333333" in proc.stdout


def test_bad_network_input_gets_one_clear_error(run_cli, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\nb,c,x\n")
    proc = run_cli("network", bad)
    assert proc.returncode == 2
    assert proc.stderr == f'error: {bad}:2:5: weight "x" is not a positive number\n'
    proc = run_cli("network", DATA / "karate.csv", "--measure", "pagerank")
    assert proc.returncode == 2
    assert "unknown measure \"pagerank\"; one of degree, betweenness" in proc.stderr
    proc = run_cli("network", DATA / "karate.csv", "--fragmentation", "keyplayer")
    assert proc.returncode == 2 and "key-player" in proc.stderr
    proc = run_cli("network", DATA / "karate.csv", "--format", "pajek")
    assert proc.returncode == 2 and "edgelist, adjacency, graphml" in proc.stderr
    proc = run_cli("network", tmp_path / "absent.csv")
    assert proc.returncode == 2 and "cannot open the network file" in proc.stderr


def test_key_player_is_greedy_as_networkx_computes_it(run_cli):
    """Each key-player removal is the node whose removal, from what the earlier removals left,
    disconnects the most pairs (Borgatti 2006), ties to the smaller largest component, then the
    lower node number: the same order with and without --recompute, and as networkx gives it."""
    G = load("karate.csv", False)
    H = G.copy()
    nodes = sorted(G.nodes, key=lambda v: list(G.nodes).index(v))
    order = []
    for _ in range(10):
        best, best_key = None, None
        for v in nodes:
            if v not in H:
                continue
            K = H.copy()
            K.remove_node(v)
            sizes = [len(c) for c in nx.connected_components(K)]
            n = K.number_of_nodes()
            frag = 1 - sum(s * (s - 1) for s in sizes) / (n * (n - 1)) if n > 1 else 0.0
            key = (round(frag * 1e12), -max(sizes, default=0))
            if best_key is None or key > best_key:
                best, best_key = v, key
        order.append(best)
        H.remove_node(best)
    for extra in ([], ["--recompute"]):
        proc = run_cli("network", DATA / "karate.csv", "--fragmentation", "key-player", "--json",
                       *extra)
        assert proc.returncode == 0, proc.stderr
        steps = json.loads(proc.stdout)["steps"][:10]
        assert [s["removed"] for s in steps] == order, extra
