/**
 * One example per request and response body of GET /openapi.json, by component name. Each is
 * checked twice in lib/api/openapi.test.ts: it parses with the zod schema that validates it, and
 * it compiles against the types openapi-typescript generates from the document — so an example
 * cannot drift from the contract. New operations append their entries here (docs/decisions/0049).
 */

const ORDER_ID = 'ord_cipc7hekihxka6nz44cwflmum2';

/** A real decision of the demo network (`silkroute quote --data data/demo --order events/orders/overseas-warehouse.json`), two candidates kept. */
const DECISION = {"orderId":"ord_cipc7hekihxka6nz44cwflmum2","sellerId":"tianmen-garments","decidedAt":"2026-12-02T08:00:00.000Z","status":"routed","chosen":{"routeId":"warehouse:WH-DUI","mode":"overseas-warehouse","cost":{"total":50.11,"currency":"CNY","components":[{"name":"pick-pack","amount":12.3},{"name":"packaging","amount":0.66},{"name":"last-mile","amount":33.62},{"name":"linehaul","amount":1.31},{"name":"bulk-duty","amount":1.82},{"name":"inbound","amount":0.16},{"name":"storage","amount":0.24}]},"eta":{"earliest":"2026-12-04","latest":"2026-12-04"},"shipments":[{"routeId":"warehouse:WH-DUI","mode":"overseas-warehouse","from":"WH-DUI","warehouseId":"WH-DUI","lines":[{"sku":"TEE-COT","qty":1}],"cost":{"total":50.11,"currency":"CNY","components":[{"name":"pick-pack","amount":12.3},{"name":"packaging","amount":0.66},{"name":"last-mile","amount":33.62},{"name":"linehaul","amount":1.31},{"name":"bulk-duty","amount":1.82},{"name":"inbound","amount":0.16},{"name":"storage","amount":0.24}]},"eta":{"earliest":"2026-12-04","latest":"2026-12-04"}}]},"candidates":[{"routeId":"warehouse:WH-DUI","mode":"overseas-warehouse","warehouseId":"WH-DUI","feasible":true,"cost":{"total":50.11,"currency":"CNY","components":[{"name":"pick-pack","amount":12.3},{"name":"packaging","amount":0.66},{"name":"last-mile","amount":33.62},{"name":"linehaul","amount":1.31},{"name":"bulk-duty","amount":1.82},{"name":"inbound","amount":0.16},{"name":"storage","amount":0.24}]},"eta":{"earliest":"2026-12-04","latest":"2026-12-04"}},{"routeId":"direct:CN-STD","mode":"direct-parcel","serviceId":"CN-STD","feasible":false,"reasons":[{"code":"missed-deadline","message":"arrives by 2026-12-18 at the latest, after the deadline 2026-12-13","params":{"latestEta":"2026-12-18","deadline":"2026-12-13"}}]}],"savingsVsDirect":{"amount":12.16,"currency":"CNY"}};

export const EXAMPLES = {
  QuoteRequest: {
    shipTo: { country: 'DE', postalCode: '10115' },
    lines: [{ sku: 'TEE-COT', qty: 1, unitPrice: { amount: 9.9, currency: 'EUR' } }],
    deliverBy: '2026-12-13',
    currency: 'CNY',
  },
  Decision: DECISION,
  OrderView: {
    orderId: ORDER_ID,
    status: 'routed',
    order: {
      orderId: ORDER_ID,
      sellerId: 'tianmen-garments',
      marketplace: 'shopify',
      externalId: '5820012345678',
      placedAt: '2026-11-23T09:20:00+08:00',
      currency: 'EUR',
      shipTo: { country: 'DE', postalCode: '10115' },
      lines: [{ sku: 'TEE-COT', qty: 1, unitPrice: { amount: 9.9, currency: 'EUR' } }],
    },
    decision: DECISION,
  },
  RerouteAccepted: { orderId: ORDER_ID, status: 'rerouting' },
  StockReport: { reports: [{ warehouseId: 'WH-DUI', sku: 'TEE-COT', onHand: 140, asOf: '2026-12-02T07:30:00Z', safetyStock: 5 }] },
  StockReportAnswer: { applied: 1, stale: 0, reserved: 3 },
  ShipmentShipped: { trackingNumber: 'JD014600003828261234', carrier: 'DHL Paket' },
  FulfilmentAnswer: { orderId: ORDER_ID, status: 'shipped' },
  InboundRequest: { lotId: 'PO-2026-118', departureId: 'R1-2026-12-04', warehouseId: 'WH-DUI', lines: [{ sku: 'TEE-COT', qty: 200 }] },
  InboundAnswer: { lotId: 'PO-2026-118', status: 'booked', departureId: 'R1-2026-12-04', litres: 520, arrivesOn: '2026-12-23' },
  /** The bodies of the sample webhooks in events/webhooks (what \`npm start\` replays). */
  ShopifyOrder: {"id":5820012349001,"admin_graphql_api_id":"gid://shopify/Order/5820012349001","name":"#1042","order_number":1042,"email":"lena.weber@example.de","created_at":"2026-11-23T10:05:00+08:00","updated_at":"2026-11-23T10:05:02+08:00","currency":"EUR","presentment_currency":"EUR","financial_status":"paid","fulfillment_status":null,"total_price":"54.60","subtotal_price":"54.60","total_weight":1800,"shipping_address":{"first_name":"Lena","last_name":"Weber","address1":"Invalidenstraße 117","city":"Berlin","zip":"10115","country":"Germany","country_code":"DE"},"line_items":[{"id":14001,"sku":"TEE-COT","title":"Cotton T-shirt","quantity":3,"price":"9.90","grams":200,"requires_shipping":true},{"id":14002,"sku":"DRESS-PLY","title":"Pleated dress","quantity":1,"price":"14.90","grams":350,"requires_shipping":true},{"id":14003,"sku":"HOODIE","title":"Hoodie","quantity":1,"price":"19.90","grams":650,"requires_shipping":true}]},
  WooCommerceOrder: {"id":10502,"parent_id":0,"number":"10502","status":"processing","currency":"EUR","date_created":"2026-11-23T03:40:00","date_created_gmt":"2026-11-23T02:40:00","total":"23.86","billing":{"first_name":"Lucía","last_name":"Martín","country":"ES","postcode":"28013","email":"lucia.martin@example.es"},"shipping":{"first_name":"Lucía","last_name":"Martín","address_1":"Calle Mayor 12","city":"Madrid","country":"ES","postcode":"28013"},"payment_method":"stripe","line_items":[{"id":301,"name":"Folding umbrella, 3 sections","product_id":88,"sku":"UMB-3F","quantity":2,"price":6.95,"subtotal":"13.90"},{"id":302,"name":"Socks, 5 pairs","product_id":91,"sku":"SOCKS-5","quantity":2,"price":4.98,"subtotal":"9.96"}]},
  StandardOrderCreated: {"type":"order.created","timestamp":"2026-11-23T02:55:00Z","data":{"marketplace":"erp","externalId":"SO-2026-000731","placedAt":"2026-11-23T10:50:00+08:00","currency":"EUR","shipTo":{"country":"FR","postalCode":"69002"},"lines":[{"sku":"BLOCKS-500","qty":1,"unitPrice":{"amount":12.5,"currency":"EUR"}},{"sku":"BAUBLES-12","qty":2,"unitPrice":{"amount":7.9,"currency":"EUR"}},{"sku":"CLIPS-6","qty":3,"unitPrice":{"amount":3.99,"currency":"EUR"}}],"serviceLevel":"standard"}},
  WebhookAnswer: { orderId: ORDER_ID, status: 'accepted' },
  Error: { error: { code: 'invalid-payload', message: 'lines[0].qty: expected a whole number of at least 1, got 0', details: [{ path: 'lines[0].qty', message: 'expected a whole number of at least 1, got 0' }] } },
} as const;
