#!/usr/bin/env node
// Asks a SPARQL endpoint the sample corpus's questions through a published
// SPARQL client, sparql-http-client (its ParsingClient: SELECT rows as RDF/JS
// terms, ASK as a boolean, CONSTRUCT parsed into RDF/JS quads), and prints
// one JSON line per question: {"name", "operation", ...the answer} or
// {"name", "error", "status"} when the client reports an error. It starts
// nothing: tests/server/client_test.py starts `kg serve` and checks the lines.
//
//   node tests/server/client/sparql_client.mjs http://127.0.0.1:7878/sparql
import ParsingClient from 'sparql-http-client/ParsingClient.js'

const PREFIXES = `PREFIX kg: <https://w3id.org/kg/vocab#>
PREFIX kge: <https://w3id.org/kg/entity/>
PREFIX kgd: <https://w3id.org/kg/doc/>
`

// The questions: [name, query form, SPARQL Protocol operation, query].
const QUESTIONS = [
  ['iran-supplied', 'select', 'get',
    'SELECT ?what WHERE { <https://w3id.org/kg/entity/Iran> <https://w3id.org/kg/entity/supplied> ?what }'],
  ['iran-supplied-form', 'select', 'postUrlencoded',
    PREFIXES + 'SELECT ?what WHERE { kge:Iran kge:supplied ?what }'],
  ['ask-true', 'ask', 'postDirect',
    PREFIXES + 'ASK { kge:Iran kge:supplied kge:ShahedDrone }'],
  ['ask-false', 'ask', 'get',
    PREFIXES + 'ASK { kge:ShahedDrone kge:supplied kge:Iran }'],
  ['construct-supplied', 'construct', 'get',
    PREFIXES + 'CONSTRUCT { ?who kge:supplied ?what } WHERE { ?who kge:supplied ?what }'],
  // The README's two questions (docs/sparql.md).
  ['half-of-russias-munitions', 'select', 'postDirect', PREFIXES + `
SELECT ?quote ?hedge ?document ?source WHERE {
  <<( ?s ?p ?o )>> kg:evidence ?e .
  ?e kg:quote ?quote ; kg:hedge ?hedge ; kg:document ?document ; kg:root ?source .
  FILTER(CONTAINS(?quote, "half of Russia"))
}`],
  ['iran-shahed-independent-sources', 'select', 'get', PREFIXES + `
SELECT ?n ?root WHERE {
  <<( kge:Iran kge:supplied kge:ShahedDrone )>> kg:independentSources ?n ; kg:root ?root .
}`],
  ['syntax-error', 'select', 'get', 'SELECT ?x WHERE { ?x'],
]

// An RDF/JS term as JSON: {"termType", "value"} (and "datatype" of a literal).
function term (t) {
  const out = { termType: t.termType, value: t.value }
  if (t.termType === 'Literal') out.datatype = t.datatype.value
  return out
}

async function ask (client, [name, form, operation, query]) {
  const line = { name, operation }
  try {
    if (form === 'select') {
      const rows = await client.query.select(query, { operation })
      line.rows = rows.map(row =>
        Object.fromEntries(Object.entries(row).map(([k, v]) => [k, term(v)])))
    } else if (form === 'ask') {
      line.boolean = await client.query.ask(query, { operation })
    } else {
      const dataset = await client.query.construct(query, { operation })
      line.quads = [...dataset].map(q => [term(q.subject), term(q.predicate), term(q.object)])
    }
  } catch (e) {
    line.error = e.message
    line.status = e.status ?? null
  }
  return line
}

async function main () {
  const endpointUrl = process.argv[2]
  if (!endpointUrl) {
    console.error('usage: node sparql_client.mjs ENDPOINT_URL')
    process.exit(2)
  }
  const client = new ParsingClient({ endpointUrl })
  for (const question of QUESTIONS) {
    console.log(JSON.stringify(await ask(client, question)))
  }
}

await main()
