import { StockLevel } from '../domain';

export interface Depot {
  id: string;
  name: string;
  region: string;
  city: string | null;
  home: boolean;
  createdAt: Date;
}

export interface StockRow extends StockLevel {
  depotId: string;
  partNumber: string;
  available: number;
  belowMinimum: boolean;
  updatedAt: Date;
}

export interface Inbound {
  id: string;
  depotId: string;
  partNumber: string;
  quantity: number;
  expectedAt: Date;
  planId: string | null;
  receivedAt: Date | null;
}
