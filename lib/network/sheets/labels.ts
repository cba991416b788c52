/**
 * Row 2 of every sheet: each column's name in Chinese with its unit, plus the example and hint
 * shown in the column's note. One entry per column, keyed by `<sheet file stem>.<header>`
 * (lib/network/sheets/layout.ts); labels.test.ts fails when a schema field has no entry here,
 * or an entry no longer matches a field.
 *
 * `aliases` are other headers accepted for the column (what forwarders write on their rate
 * cards); the Chinese label itself is always accepted as a header too.
 */

export interface Label {
  /** The column in Chinese. */
  readonly zh: string;
  /** Unit, shown after the label in row 2 (`重量（克）`). */
  readonly unit?: string;
  /** An example value for the note. */
  readonly example?: string;
  /** More headers accepted for this column. */
  readonly aliases?: readonly string[];
  /** Added to a problem found in this column, given the cell's value: a likely cause. */
  readonly hint?: (value: unknown) => string | undefined;
}

const gramsHint = (value: unknown) =>
  typeof value === 'number' && value > 0 && value < 100 && !Number.isInteger(value) ? 'kilograms?' : undefined;
const rateHint = (value: unknown) => (typeof value === 'number' && value > 1 && value <= 100 ? `a percentage? write ${value / 100}` : undefined);

export const LABELS: Readonly<Record<string, Label>> = {
  // sellers
  'sellers.id': { zh: '卖家编号', example: 'tianmen-garments' },
  'sellers.name': { zh: '卖家名称', example: '天门锦绣服饰有限公司' },
  'sellers.email': { zh: '通知邮箱', example: 'orders@example.com' },
  'sellers.language': { zh: '邮件语言', example: 'zh-CN' },
  'sellers.reportCurrency': { zh: '报告币种', unit: 'ISO 4217', example: 'CNY' },
  'sellers.origin': { zh: '发货地', example: 'CN-YIW' },
  'sellers.serviceLevels.economy': { zh: '经济时效', unit: '天', example: '30' },
  'sellers.serviceLevels.standard': { zh: '标准时效', unit: '天', example: '20' },
  'sellers.serviceLevels.express': { zh: '特快时效', unit: '天', example: '7' },
  'sellers.iossRegistered': { zh: '已注册 IOSS', example: 'TRUE' },
  'sellers.notifications.mode': { zh: '通知方式', example: 'digest' },
  'sellers.notifications.digestHour': { zh: '日报发送时刻', unit: '时', example: '9' },
  'sellers.notifications.timeZone': { zh: '时区', example: 'Asia/Shanghai' },
  'sellers.planEmailHours': { zh: '截单前几小时发送装柜建议', unit: '小时', example: '24' },
  // skus
  'skus.sellerId': { zh: '卖家编号', example: 'tianmen-garments' },
  'skus.sku': { zh: 'SKU', example: 'TEE-COT' },
  'skus.title': { zh: '品名', example: 'Cotton T-shirt' },
  'skus.hsCode': { zh: '海关编码', unit: '6–10位', example: '610910' },
  'skus.weightG': { zh: '重量', unit: '克', example: '200', aliases: ['重量(g)', '重量（g）'], hint: gramsHint },
  'skus.dimsCm': { zh: '长, 宽, 高', unit: '厘米', example: '28, 22, 2' },
  'skus.customsValue.amount': { zh: '申报价值', unit: '金额', example: '1.71' },
  'skus.customsValue.currency': { zh: '申报币种', unit: 'ISO 4217', example: 'EUR' },
  'skus.retailPrice.amount': { zh: '零售价（不含增值税）', unit: '每件', example: '12.99', aliases: ['售价'] },
  'skus.retailPrice.currency': { zh: '零售价币种', unit: 'ISO 4217', example: 'EUR' },
  'skus.battery': { zh: '电池', example: 'none' },
  // parcel-services
  'parcel-services.id': { zh: '渠道编号', example: 'CP-EPK' },
  'parcel-services.carrier': { zh: '承运商', example: 'China Post' },
  'parcel-services.name': { zh: '渠道名称', example: 'ePacket' },
  'parcel-services.origin': { zh: '发货地', example: 'CN-YIW' },
  'parcel-services.currency': { zh: '报价币种', unit: 'ISO 4217', example: 'CNY' },
  'parcel-services.volumetricDivisor': { zh: '体积重系数', unit: '空白=不计泡', example: '8000' },
  'parcel-services.minChargeableG': { zh: '最低计费重', unit: '克', example: '50' },
  'parcel-services.weightStepG': { zh: '计费进位', unit: '克', example: '1' },
  'parcel-services.maxWeightG': { zh: '限重', unit: '克', example: '2000' },
  'parcel-services.maxLongestSideCm': { zh: '最长边限制', unit: '厘米', example: '60' },
  'parcel-services.maxSumOfSidesCm': { zh: '三边和限制', unit: '厘米', example: '90' },
  'parcel-services.handlingDays': { zh: '处理时间', unit: '天', example: '2' },
  'parcel-services.postal': { zh: '邮政渠道', example: 'TRUE' },
  'parcel-services.battery.contained.allowed': { zh: '内置电池可发', example: 'FALSE' },
  'parcel-services.battery.contained.surchargePerParcel': { zh: '内置电池附加费', unit: '每票', example: '5' },
  'parcel-services.battery.standalone.allowed': { zh: '纯电池可发', example: 'FALSE' },
  'parcel-services.battery.standalone.surchargePerParcel': { zh: '纯电池附加费', unit: '每票', example: '10' },
  'parcel-services.rates.*': { zh: '目的国', unit: '国家代码', example: 'DE', aliases: ['country', '国家', '国家代码'] },
  'parcel-services.rates.perParcel': { zh: '挂号费', unit: '每票', example: '12', aliases: ['perParcel', '处理费'] },
  'parcel-services.rates.perKg': { zh: '运费', unit: '每公斤', example: '82', aliases: ['perKg', '续重', '续重(每公斤)', '元/kg'] },
  'parcel-services.rates.minCharge': { zh: '最低收费', unit: '每票', example: '20', aliases: ['minCharge'] },
  'parcel-services.rates.transitDays': { zh: '时效', unit: '最少, 最多 天', example: '10, 20', aliases: ['transitDays', '参考时效'] },
  'parcel-services.rates.entryCountry': { zh: '清关国', unit: '国家代码', example: 'BE', aliases: ['清关口岸'] },
  // rail-lanes
  'rail-lanes.id': { zh: '线路编号', example: 'R1' },
  'rail-lanes.name': { zh: '线路名称', example: '义新欧 义乌 → 马德里' },
  'rail-lanes.origin': { zh: '始发地', example: 'CN-YIW' },
  'rail-lanes.warehouseId': { zh: '目的海外仓编号', example: 'WH-MAD' },
  'rail-lanes.currency': { zh: '报价币种', unit: 'ISO 4217', example: 'EUR' },
  'rail-lanes.perCbm': { zh: '运价', unit: '每立方米', example: '150' },
  'rail-lanes.kgPerCbm': { zh: '重货换算', unit: '公斤/立方米', example: '500' },
  'rail-lanes.customsFreightShare': { zh: '计入完税价格的运费比例', unit: '0–1', example: '0.75', hint: rateHint },
  'rail-lanes.schedule.weekdays': { zh: '班期', unit: 'MON..SUN, 逗号分隔', example: 'TUE, FRI' },
  'rail-lanes.schedule.departureTime': { zh: '发车时间', unit: '含时区', example: '10:00+08:00' },
  'rail-lanes.schedule.cutoffHoursBefore': { zh: '截单提前', unit: '小时', example: '16' },
  'rail-lanes.schedule.transitDays': { zh: '运输时间', unit: '天', example: '17' },
  'rail-lanes.schedule.capacityCbm': { zh: '每班舱位', unit: '立方米', example: '64' },
  'rail-lanes.schedule.weeksAhead': { zh: '排期周数', unit: '周', example: '3' },
  'rail-lanes.departures.id': { zh: '班列编号', example: 'R1-2026-12-01' },
  'rail-lanes.departures.departsAt': { zh: '发车时间', unit: 'ISO 8601 含时区', example: '2026-12-01T10:00:00+08:00' },
  'rail-lanes.departures.cutoffAt': { zh: '截单时间', unit: 'ISO 8601 含时区', example: '2026-11-30T18:00:00+08:00' },
  'rail-lanes.departures.transitDays': { zh: '运输时间', unit: '天', example: '17' },
  'rail-lanes.departures.capacityCbm': { zh: '舱位', unit: '立方米', example: '64' },
  // warehouses
  'warehouses.id': { zh: '海外仓编号', example: 'WH-MAD' },
  'warehouses.name': { zh: '海外仓名称', example: 'Madrid overseas warehouse' },
  'warehouses.country': { zh: '所在国', unit: '国家代码', example: 'ES' },
  'warehouses.currency': { zh: '报价币种', unit: 'ISO 4217', example: 'EUR' },
  'warehouses.processingDays': { zh: '出库处理', unit: '天', example: '1' },
  'warehouses.inboundDays': { zh: '入库上架', unit: '天', example: '2' },
  'warehouses.fees.inboundPerUnit': { zh: '入库费', unit: '每件', example: '0.02' },
  'warehouses.fees.storagePerCbmDay': { zh: '仓储费', unit: '每立方米每天', example: '0.35' },
  'warehouses.fees.expectedDwellDays': { zh: '预计库龄', unit: '天', example: '60' },
  'warehouses.fees.pickPackFirstItem': { zh: '拣货打包首件', unit: '每单', example: '1.2' },
  'warehouses.fees.pickPackExtraItem': { zh: '拣货打包续件', unit: '每件', example: '0.25' },
  'warehouses.fees.packaging': { zh: '包材费', unit: '每单', example: '0.08' },
  'warehouses.lastMile.*': { zh: '派送国', unit: '国家代码', example: 'DE', aliases: ['country', '国家', '国家代码'] },
  'warehouses.lastMile.carrier': { zh: '尾程承运商', example: 'GLS', aliases: ['carrier'] },
  'warehouses.lastMile.transitDays': { zh: '尾程时效', unit: '最少, 最多 天', example: '3, 5', aliases: ['transitDays'] },
  'warehouses.lastMile.bands.maxWeightG': { zh: '重量段上限', unit: '克', example: '1000', hint: gramsHint },
  'warehouses.lastMile.bands.price': { zh: '价格', unit: '每票', example: '8.9' },
  // stock
  'stock.sellerId': { zh: '卖家编号', example: 'tianmen-garments' },
  'stock.warehouseId': { zh: '海外仓编号', example: 'WH-DUI' },
  'stock.sku': { zh: 'SKU', example: 'TEE-COT' },
  'stock.available': { zh: '可用库存', unit: '件', example: '400', aliases: ['库存', 'qty'] },
  // duties
  'duties.countries.*': { zh: '国家', unit: '国家代码', example: 'DE', aliases: ['country'] },
  'duties.countries.union': { zh: '关税同盟', example: 'EU' },
  'duties.countries.vatRate': { zh: '增值税率', unit: '0–1', example: '0.19', hint: rateHint },
  'duties.countries.vatOnDuty': { zh: '关税计增值税', example: 'TRUE' },
  'duties.countries.brokerageFeeEur': { zh: '清关代理费', unit: '欧元', example: '8' },
  'duties.countries.fees.name': { zh: '费用名称', unit: '小写英文加连字符', example: 'national-fee' },
  'duties.countries.fees.amountEur': { zh: '费用金额', unit: '欧元', example: '2' },
  'duties.countries.fees.per': { zh: '计费方式', unit: 'consignment 每票 / tariff-line 每税号', example: 'tariff-line' },
  'duties.countries.fees.from': { zh: '费用生效日', unit: 'YYYY-MM-DD', example: '2026-03-01' },
  'duties.countries.fees.until': { zh: '费用截止日（不含）', unit: 'YYYY-MM-DD', example: '2028-07-01' },
  'duties.countries.fees.lowValueOnly': { zh: '仅低值包裹收取', example: 'FALSE' },
  'duties.unions.*': { zh: '关税同盟', example: 'EU', aliases: ['union'] },
  'duties.unions.defaultTariffRate': { zh: '默认关税税率', unit: '0–1', example: '0.04', hint: rateHint },
  'duties.unions.tariffRates.*': { zh: '海关编码前缀', unit: '2–10位', example: '6109' },
  'duties.unions.tariffRates': { zh: '关税税率', unit: '0–1', example: '0.12', hint: rateHint },
  'duties.unions.lowValue.from': { zh: '低值规则生效日', unit: 'YYYY-MM-DD', example: '2026-07-01' },
  'duties.unions.lowValue.until': { zh: '低值规则截止日（不含）', unit: 'YYYY-MM-DD', example: '2028-07-01' },
  'duties.unions.lowValue.threshold.amount': { zh: '低值门槛', unit: '整单货值', example: '150' },
  'duties.unions.lowValue.threshold.currency': { zh: '门槛币种', unit: 'ISO 4217', example: 'EUR' },
  'duties.unions.lowValue.scope': { zh: '适用范围', unit: 'all 全部 / ioss-or-postal 仅 IOSS 或邮政', example: 'ioss-or-postal' },
  'duties.unions.lowValue.duty': { zh: '低值关税方式', unit: 'tariff 按税率', example: 'tariff' },
  'duties.unions.lowValue.duty.perTariffLine': { zh: '每税号固定关税', unit: '欧元', example: '3' },
  'duties.unions.fees.name': { zh: '费用名称', unit: '小写英文加连字符', example: 'national-fee' },
  'duties.unions.fees.amountEur': { zh: '费用金额', unit: '欧元', example: '2' },
  'duties.unions.fees.per': { zh: '计费方式', unit: 'consignment 每票 / tariff-line 每税号', example: 'tariff-line' },
  'duties.unions.fees.from': { zh: '费用生效日', unit: 'YYYY-MM-DD', example: '2026-03-01' },
  'duties.unions.fees.until': { zh: '费用截止日（不含）', unit: 'YYYY-MM-DD', example: '2028-07-01' },
  'duties.unions.fees.lowValueOnly': { zh: '仅低值包裹收取', example: 'FALSE' },
  // fx
  'fx.base': { zh: '基准币种', example: 'EUR' },
  'fx.asOf': { zh: '汇率日期', unit: 'YYYY-MM-DD', example: '2026-01-05' },
  'fx.rates.*': { zh: '币种', unit: 'ISO 4217', example: 'CNY' },
  'fx.rates': { zh: '汇率', unit: '1 欧元 = ?', example: '8.2' },
  // connections
  'connections.platform': { zh: '平台', example: 'shopify' },
  'connections.shop': { zh: '店铺', example: 'tianmen-garments.myshopify.com' },
  'connections.sellerId': { zh: '卖家编号', example: 'tianmen-garments' },
  'connections.secret': { zh: 'Webhook 密钥', example: 'shpss_…' },
  'connections.previousSecret': { zh: '旧密钥（轮换中）', example: '' },
  'connections.apiKey': { zh: 'API 密钥', unit: '至少16位', example: 'demo-key-…' },
  'connections.credentials.clientId': { zh: 'LWA 应用 client_id（亚马逊）', example: 'amzn1.application-oa2-client.…' },
  'connections.credentials.clientSecret': { zh: 'LWA 应用 client_secret（亚马逊）', example: 'amzn1.oa2-cs.v1.…' },
  'connections.credentials.appKey': { zh: '应用 app_key（TikTok Shop）', example: '6a6xxx' },
  'connections.credentials.shopCipher': { zh: '店铺 shop_cipher（TikTok Shop）', example: 'ROW_…' },
  'connections.credentials.accessToken': { zh: '店铺 access_token（TikTok Shop）', example: 'ROW_…' },
  'connections.shipping.services': { zh: '平台允许的小包渠道', unit: '渠道编号，逗号分隔', example: 'YUN-EU, CN-STD' },
  'connections.shipping.carriers': { zh: '平台允许的承运商', unit: '逗号分隔', example: 'YunExpress, DHL Paket' },
  'connections.shipping.note': { zh: '发货规则说明', example: '亚马逊：中国直发订单须用认可承运商' },
};

/** Row 2's text for a column: the Chinese label and its unit. */
export function labelText(label: Label | undefined): string {
  if (label === undefined) return '';
  return label.unit === undefined ? label.zh : `${label.zh}（${label.unit}）`;
}
