import type { CircuitType, DeviceRole } from '../../inventory';
import type { DataCategory, DefineResidencyPolicyData } from '../../residency';
import type { Region } from './metros.seed';

/** What the generated network is made of: real-world lessors, carriers, hardware, tenants. */

export const LESSORS = ['Equinix', 'Digital Realty', 'NTT Global Data Centers', 'Iron Mountain', 'Telehouse', 'Global Switch', 'CyrusOne', 'Data4', 'Colt DCS', 'Vantage'];
export const CARRIER_HOTEL_LESSORS = ['Telehouse', 'Equinix', 'Interxion', 'CoreSite', 'Coresite One Wilshire', '60 Hudson Street'];

export const CARRIERS: Readonly<Record<CircuitType, readonly string[]>> = {
  TRANSIT: ['Lumen', 'Cogent', 'Arelion', 'NTT', 'GTT', 'Zayo', 'Hurricane Electric', 'Telia', 'Orange International'],
  IX_PEERING: ['DE-CIX', 'AMS-IX', 'LINX', 'France-IX', 'Equinix Internet Exchange', 'JPNAP', 'SGIX', 'IX.br', 'NAPAfrica'],
  DARK_FIBER: ['Zayo', 'euNetworks', 'Colt', 'Crown Castle', 'Lumen'],
  ETHERNET: ['Colt', 'Verizon', 'BT Global', 'Telstra', 'PCCW Global'],
  WAVELENGTH: ['Zayo', 'Lumen', 'Arelion', 'Colt'],
  CLOUD_ONRAMP: ['AWS Direct Connect', 'Google Cloud Interconnect', 'Azure ExpressRoute', 'Megaport'],
};

/** Monthly price in euros per circuit, by bandwidth. */
export const CIRCUIT_SPEEDS: ReadonlyArray<{ mbps: number; eurMonthly: number }> = [
  { mbps: 1_000, eurMonthly: 450 },
  { mbps: 10_000, eurMonthly: 1_400 },
  { mbps: 100_000, eurMonthly: 6_500 },
  { mbps: 400_000, eurMonthly: 18_000 },
];

export interface DeviceModel {
  name: string;
  role: DeviceRole;
  heightU: number;
  powerDrawWatts: number;
  eurPrice: number;
  weight: number;
}

export const DEVICE_MODELS: readonly DeviceModel[] = [
  { name: 'Juniper MX204', role: 'ROUTER', heightU: 1, powerDrawWatts: 350, eurPrice: 28_000, weight: 3 },
  { name: 'Cisco ASR 9902', role: 'ROUTER', heightU: 2, powerDrawWatts: 800, eurPrice: 65_000, weight: 1 },
  { name: 'Arista 7280R3', role: 'ROUTER', heightU: 1, powerDrawWatts: 450, eurPrice: 40_000, weight: 2 },
  { name: 'Arista 7050X3', role: 'SWITCH', heightU: 1, powerDrawWatts: 250, eurPrice: 14_000, weight: 5 },
  { name: 'Cisco Nexus 93180YC', role: 'SWITCH', heightU: 1, powerDrawWatts: 210, eurPrice: 12_000, weight: 4 },
  { name: 'Juniper QFX5120', role: 'SWITCH', heightU: 1, powerDrawWatts: 300, eurPrice: 15_000, weight: 3 },
  { name: 'Dell PowerEdge R650', role: 'SERVER', heightU: 1, powerDrawWatts: 450, eurPrice: 9_500, weight: 10 },
  { name: 'Dell PowerEdge R750', role: 'SERVER', heightU: 2, powerDrawWatts: 650, eurPrice: 13_000, weight: 8 },
  { name: 'HPE ProLiant DL360', role: 'SERVER', heightU: 1, powerDrawWatts: 400, eurPrice: 8_800, weight: 7 },
  { name: 'Supermicro SYS-220U', role: 'SERVER', heightU: 2, powerDrawWatts: 700, eurPrice: 11_000, weight: 5 },
  { name: 'Palo Alto PA-5220', role: 'FIREWALL', heightU: 3, powerDrawWatts: 460, eurPrice: 55_000, weight: 1 },
  { name: 'Fortinet FortiGate 600F', role: 'FIREWALL', heightU: 1, powerDrawWatts: 180, eurPrice: 18_000, weight: 2 },
  { name: 'NetApp AFF A250', role: 'STORAGE', heightU: 2, powerDrawWatts: 800, eurPrice: 45_000, weight: 2 },
  { name: 'Pure Storage FlashArray//X', role: 'STORAGE', heightU: 3, powerDrawWatts: 1_100, eurPrice: 90_000, weight: 1 },
  { name: 'Opengear CM8100', role: 'OTHER', heightU: 1, powerDrawWatts: 30, eurPrice: 1_600, weight: 2 },
  { name: 'Fiber patch panel', role: 'OTHER', heightU: 1, powerDrawWatts: 0, eurPrice: 300, weight: 2 },
];

export interface Tenant {
  id: string;
  home: Region;
}

export const TENANTS: readonly Tenant[] = [
  { id: 'acme-bank', home: 'EMEA' },
  { id: 'wayne-fintech', home: 'EMEA' },
  { id: 'umbrella-pharma', home: 'EMEA' },
  { id: 'globex-health', home: 'AMER' },
  { id: 'initech-saas', home: 'AMER' },
  { id: 'stark-industries', home: 'AMER' },
  { id: 'hooli-media', home: 'APAC' },
  { id: 'tyrell-telemetry', home: 'APAC' },
];

export interface WorkloadTemplate {
  kind: string;
  name: string;
  dataCategories: DataCategory[];
}

export const WORKLOAD_TEMPLATES: readonly WorkloadTemplate[] = [
  { kind: 'customer-db', name: 'Customer database', dataCategories: ['PERSONAL', 'PAYMENT'] },
  { kind: 'ehr', name: 'Electronic health records', dataCategories: ['HEALTH', 'PERSONAL', 'SPECIAL_CATEGORY'] },
  { kind: 'telemetry', name: 'Telemetry lake', dataCategories: ['TELEMETRY', 'OPERATIONAL'] },
  { kind: 'cdn', name: 'Edge cache', dataCategories: ['PUBLIC'] },
  { kind: 'billing', name: 'Billing service', dataCategories: ['PAYMENT', 'PERSONAL'] },
  { kind: 'backup', name: 'Backup vault', dataCategories: ['PERSONAL', 'OPERATIONAL'] },
  { kind: 'analytics', name: 'Product analytics', dataCategories: ['TELEMETRY', 'PERSONAL'] },
  { kind: 'identity', name: 'Identity provider', dataCategories: ['PERSONAL'] },
];

/** Policies defined early in the seeded period; `retireAfterFraction` (of the period) retires one later. */
export const POLICIES: ReadonlyArray<DefineResidencyPolicyData & { retireAfterFraction?: number }> = [
  {
    policyId: 'gdpr-personal',
    name: 'GDPR: personal data stays in the EEA or an adequate country',
    kind: 'ALLOWED_LOCATIONS',
    dataCategory: 'PERSONAL',
    allowedGroups: ['EEA', 'EU_ADEQUACY'],
    citation: 'Regulation (EU) 2016/679, Articles 44-49',
  },
  {
    policyId: 'health-eea',
    name: 'Health data only in the EEA',
    kind: 'ALLOWED_LOCATIONS',
    dataCategory: 'HEALTH',
    allowedGroups: ['EEA'],
    citation: 'Regulation (EU) 2016/679, Article 9; national health-data hosting rules',
  },
  {
    policyId: 'special-category-eu',
    name: 'Special-category data only in the EU',
    kind: 'ALLOWED_LOCATIONS',
    dataCategory: 'SPECIAL_CATEGORY',
    allowedGroups: ['EU'],
    citation: 'Regulation (EU) 2016/679, Article 9',
  },
  {
    policyId: 'acme-payment-primary',
    name: 'acme-bank: primary payment data in its licensed markets',
    kind: 'PRIMARY_COPY_IN',
    dataCategory: 'PAYMENT',
    tenant: 'acme-bank',
    allowedCountries: ['DE', 'NL', 'FR', 'IE'],
    deniedCountries: ['RU', 'CN'],
    citation: 'Internal banking licence conditions',
  },
  {
    policyId: 'tyrell-telemetry-apac',
    name: 'tyrell-telemetry: primary telemetry in Japan, Singapore or Australia',
    kind: 'PRIMARY_COPY_IN',
    dataCategory: 'TELEMETRY',
    tenant: 'tyrell-telemetry',
    allowedCountries: ['JP', 'SG', 'AU'],
    deniedCountries: ['CN'],
    citation: 'Customer contract, data-location annex',
  },
  {
    policyId: 'legacy-personal-de',
    name: 'Legacy rule: personal data only in Germany',
    kind: 'ALLOWED_LOCATIONS',
    dataCategory: 'PERSONAL',
    tenant: 'umbrella-pharma',
    allowedCountries: ['DE'],
    citation: 'Superseded works-council agreement',
    retireAfterFraction: 0.5,
  },
];
