import { PartClass } from '@aftersales/contracts';

/** A catalog entry as the API shows it; money as decimal strings. */
export interface Part {
  partNumber: string;
  description: string;
  partClass: PartClass;
  compatibleModels: string[];
  unitCost: string;
  contractPrice: string;
  mustReturn: boolean;
  doaDays: number;
  lifetimeSupply: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export const PART_CLASSES = PartClass.options;
