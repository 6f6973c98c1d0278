# Coset enumeration timings in GAP, for comparison with archsynth's ToddCoxeter.
# The presentations are the ones in presentations.txt (same relators, same order).
# Run:  gap -q -o 20g gap_bench.g
# Each line: name, index found, expected order, milliseconds (Runtime(), CPU time)
# of CosetTableFromGensAndRels over the trivial subgroup (GAP's HLT enumerator).

CoxeterRelators := function(F, edges)
    local s, n, rels, i, j, m;
    s := GeneratorsOfGroup(F);
    n := Length(s);
    rels := List(s, x -> x^2);
    for i in [1 .. n] do
        for j in [i + 1 .. n] do
            if [i, j] in edges or [j, i] in edges then m := 3; else m := 2; fi;
            Add(rels, (s[i] * s[j])^m);
        od;
    od;
    return rels;
end;

# Sunday 1972 / Coxeter-Moser §7.5: <x,y | x^p, y^2, (xy)^3, (x^4 y x^((p+1)/2) y)^2>.
PSLRelators := function(F, p)
    local x, y;
    x := F.1; y := F.2;
    return [x^p, y^2, (x * y)^3, (x^4 * y * x^((p + 1) / 2) * y)^2];
end;

TimeEnumeration := function(name, F, rels, expected)
    local t, tab, index;
    t := Runtime();
    tab := CosetTableFromGensAndRels(GeneratorsOfGroup(F), rels, [] : max := 16000000, silent := true);
    t := Runtime() - t;
    if tab = fail then index := "fail"; else index := Length(tab[1]); fi;
    Print(name, "\t", index, "\t", expected, "\t", t, " ms\n");
end;

F := FreeGroup(List([1 .. 6], i -> Concatenation("s", String(i))));
TimeEnumeration("E6", F, CoxeterRelators(F, [[1, 3], [3, 4], [4, 5], [5, 6], [2, 4]]), 51840);
F := FreeGroup(List([1 .. 7], i -> Concatenation("s", String(i))));
TimeEnumeration("E7", F, CoxeterRelators(F, [[1, 3], [3, 4], [4, 5], [5, 6], [6, 7], [2, 4]]), 2903040);
for p in [5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101] do
    F := FreeGroup("x", "y");
    TimeEnumeration(Concatenation("PSL(2,", String(p), ")"), F, PSLRelators(F, p), p * (p^2 - 1) / 2);
od;
QUIT;
