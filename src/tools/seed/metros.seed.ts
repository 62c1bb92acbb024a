/**
 * Real metros where networks put PoPs, with a weight for how often the generator picks each one
 * (hubs such as Frankfurt, Ashburn or Singapore get more PoPs) and the cloud regions serving them.
 */

export type Region = 'EMEA' | 'AMER' | 'APAC';
export type CloudProvider = 'AWS' | 'GCP' | 'Azure';

export interface Metro {
  code: string;
  city: string;
  countryCode: string;
  region: Region;
  latitude: number;
  longitude: number;
  currency: string;
  weight: number;
  cloud: Partial<Record<CloudProvider, string>>;
}

const m = (
  code: string,
  city: string,
  countryCode: string,
  region: Region,
  latitude: number,
  longitude: number,
  currency: string,
  weight: number,
  cloud: Partial<Record<CloudProvider, string>> = {},
): Metro => ({ code, city, countryCode, region, latitude, longitude, currency, weight, cloud });

export const METROS: readonly Metro[] = [
  m('FRA', 'Frankfurt', 'DE', 'EMEA', 50.1109, 8.6821, 'EUR', 10, { AWS: 'eu-central-1', GCP: 'europe-west3', Azure: 'germanywestcentral' }),
  m('AMS', 'Amsterdam', 'NL', 'EMEA', 52.3676, 4.9041, 'EUR', 9, { GCP: 'europe-west4', Azure: 'westeurope' }),
  m('LON', 'London', 'GB', 'EMEA', 51.5072, -0.1276, 'GBP', 10, { AWS: 'eu-west-2', GCP: 'europe-west2', Azure: 'uksouth' }),
  m('PAR', 'Paris', 'FR', 'EMEA', 48.8566, 2.3522, 'EUR', 7, { AWS: 'eu-west-3', GCP: 'europe-west9', Azure: 'francecentral' }),
  m('MAD', 'Madrid', 'ES', 'EMEA', 40.4168, -3.7038, 'EUR', 4, { AWS: 'eu-south-2', GCP: 'europe-southwest1', Azure: 'spaincentral' }),
  m('MIL', 'Milan', 'IT', 'EMEA', 45.4642, 9.19, 'EUR', 4, { AWS: 'eu-south-1', GCP: 'europe-west8', Azure: 'italynorth' }),
  m('MRS', 'Marseille', 'FR', 'EMEA', 43.2965, 5.3698, 'EUR', 3),
  m('DUB', 'Dublin', 'IE', 'EMEA', 53.3498, -6.2603, 'EUR', 4, { AWS: 'eu-west-1', Azure: 'northeurope' }),
  m('STO', 'Stockholm', 'SE', 'EMEA', 59.3293, 18.0686, 'SEK', 3, { AWS: 'eu-north-1', Azure: 'swedencentral' }),
  m('CPH', 'Copenhagen', 'DK', 'EMEA', 55.6761, 12.5683, 'DKK', 2),
  m('OSL', 'Oslo', 'NO', 'EMEA', 59.9139, 10.7522, 'NOK', 2, { Azure: 'norwayeast' }),
  m('HEL', 'Helsinki', 'FI', 'EMEA', 60.1699, 24.9384, 'EUR', 2, { GCP: 'europe-north1' }),
  m('WAW', 'Warsaw', 'PL', 'EMEA', 52.2297, 21.0122, 'PLN', 3, { GCP: 'europe-central2', Azure: 'polandcentral' }),
  m('VIE', 'Vienna', 'AT', 'EMEA', 48.2082, 16.3738, 'EUR', 2),
  m('ZRH', 'Zurich', 'CH', 'EMEA', 47.3769, 8.5417, 'CHF', 3, { AWS: 'eu-central-2', GCP: 'europe-west6', Azure: 'switzerlandnorth' }),
  m('IST', 'Istanbul', 'TR', 'EMEA', 41.0082, 28.9784, 'TRY', 2),
  m('TLV', 'Tel Aviv', 'IL', 'EMEA', 32.0853, 34.7818, 'ILS', 2, { AWS: 'il-central-1', GCP: 'me-west1', Azure: 'israelcentral' }),
  m('DXB', 'Dubai', 'AE', 'EMEA', 25.2048, 55.2708, 'AED', 3, { AWS: 'me-central-1', Azure: 'uaenorth' }),
  m('JNB', 'Johannesburg', 'ZA', 'EMEA', -26.2041, 28.0473, 'ZAR', 2, { AWS: 'af-south-1', GCP: 'africa-south1', Azure: 'southafricanorth' }),
  m('LOS', 'Lagos', 'NG', 'EMEA', 6.5244, 3.3792, 'NGN', 1),
  m('IAD', 'Ashburn', 'US', 'AMER', 39.0438, -77.4874, 'USD', 10, { AWS: 'us-east-1', GCP: 'us-east4', Azure: 'eastus' }),
  m('NYC', 'New York', 'US', 'AMER', 40.7128, -74.006, 'USD', 7),
  m('CHI', 'Chicago', 'US', 'AMER', 41.8781, -87.6298, 'USD', 6, { Azure: 'northcentralus' }),
  m('DFW', 'Dallas', 'US', 'AMER', 32.7767, -96.797, 'USD', 6, { GCP: 'us-south1', Azure: 'southcentralus' }),
  m('ATL', 'Atlanta', 'US', 'AMER', 33.749, -84.388, 'USD', 4),
  m('MIA', 'Miami', 'US', 'AMER', 25.7617, -80.1918, 'USD', 4),
  m('LAX', 'Los Angeles', 'US', 'AMER', 34.0522, -118.2437, 'USD', 6, { GCP: 'us-west2' }),
  m('SJC', 'San Jose', 'US', 'AMER', 37.3382, -121.8863, 'USD', 7, { AWS: 'us-west-1', Azure: 'westus' }),
  m('SEA', 'Seattle', 'US', 'AMER', 47.6062, -122.3321, 'USD', 4, { Azure: 'westus2' }),
  m('YYZ', 'Toronto', 'CA', 'AMER', 43.6532, -79.3832, 'CAD', 4, { GCP: 'northamerica-northeast2', Azure: 'canadacentral' }),
  m('YUL', 'Montreal', 'CA', 'AMER', 45.5019, -73.5674, 'CAD', 3, { AWS: 'ca-central-1', GCP: 'northamerica-northeast1', Azure: 'canadaeast' }),
  m('QRO', 'Querétaro', 'MX', 'AMER', 20.5888, -100.3899, 'MXN', 2, { Azure: 'mexicocentral' }),
  m('GRU', 'São Paulo', 'BR', 'AMER', -23.5505, -46.6333, 'BRL', 5, { AWS: 'sa-east-1', GCP: 'southamerica-east1', Azure: 'brazilsouth' }),
  m('SCL', 'Santiago', 'CL', 'AMER', -33.4489, -70.6693, 'CLP', 2, { GCP: 'southamerica-west1' }),
  m('BOG', 'Bogotá', 'CO', 'AMER', 4.711, -74.0721, 'COP', 2),
  m('EZE', 'Buenos Aires', 'AR', 'AMER', -34.6037, -58.3816, 'ARS', 2),
  m('SIN', 'Singapore', 'SG', 'APAC', 1.3521, 103.8198, 'SGD', 9, { AWS: 'ap-southeast-1', GCP: 'asia-southeast1', Azure: 'southeastasia' }),
  m('TYO', 'Tokyo', 'JP', 'APAC', 35.6762, 139.6503, 'JPY', 8, { AWS: 'ap-northeast-1', GCP: 'asia-northeast1', Azure: 'japaneast' }),
  m('OSA', 'Osaka', 'JP', 'APAC', 34.6937, 135.5023, 'JPY', 3, { AWS: 'ap-northeast-3', GCP: 'asia-northeast2', Azure: 'japanwest' }),
  m('HKG', 'Hong Kong', 'HK', 'APAC', 22.3193, 114.1694, 'HKD', 6, { AWS: 'ap-east-1', GCP: 'asia-east2', Azure: 'eastasia' }),
  m('SEL', 'Seoul', 'KR', 'APAC', 37.5665, 126.978, 'KRW', 4, { AWS: 'ap-northeast-2', GCP: 'asia-northeast3', Azure: 'koreacentral' }),
  m('TPE', 'Taipei', 'TW', 'APAC', 25.033, 121.5654, 'TWD', 2, { GCP: 'asia-east1' }),
  m('SYD', 'Sydney', 'AU', 'APAC', -33.8688, 151.2093, 'AUD', 5, { AWS: 'ap-southeast-2', GCP: 'australia-southeast1', Azure: 'australiaeast' }),
  m('MEL', 'Melbourne', 'AU', 'APAC', -37.8136, 144.9631, 'AUD', 3, { AWS: 'ap-southeast-4', GCP: 'australia-southeast2', Azure: 'australiasoutheast' }),
  m('AKL', 'Auckland', 'NZ', 'APAC', -36.8485, 174.7633, 'NZD', 2),
  m('BOM', 'Mumbai', 'IN', 'APAC', 19.076, 72.8777, 'INR', 5, { AWS: 'ap-south-1', GCP: 'asia-south1', Azure: 'westindia' }),
  m('JKT', 'Jakarta', 'ID', 'APAC', -6.2088, 106.8456, 'IDR', 3, { AWS: 'ap-southeast-3', GCP: 'asia-southeast2' }),
];

/** Euros per unit of each metro currency: the seed's FX baseline (drifting a little per quarter). */
export const EUR_PER_UNIT: Readonly<Record<string, number>> = {
  EUR: 1,
  USD: 0.92,
  GBP: 1.17,
  SEK: 0.087,
  DKK: 0.134,
  NOK: 0.085,
  PLN: 0.23,
  CHF: 1.05,
  TRY: 0.027,
  ILS: 0.25,
  AED: 0.25,
  ZAR: 0.05,
  NGN: 0.0006,
  CAD: 0.68,
  MXN: 0.05,
  BRL: 0.17,
  CLP: 0.001,
  COP: 0.00023,
  ARS: 0.001,
  SGD: 0.69,
  JPY: 0.0061,
  HKD: 0.118,
  KRW: 0.00068,
  TWD: 0.029,
  AUD: 0.61,
  NZD: 0.55,
  INR: 0.011,
  IDR: 0.000058,
};
