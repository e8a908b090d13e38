import type { CreateSpaceRequest, UpdateSpaceRequest } from '@guichet/contracts';
import { DescriptionField, NameField, OptionalNameField } from '../common/dto/fields';

export class CreateSpaceDto implements CreateSpaceRequest {
  @NameField('Ministère de la Culture')
  name!: string;

  @DescriptionField()
  description?: string;
}

export class UpdateSpaceDto implements UpdateSpaceRequest {
  @OptionalNameField()
  name?: string;

  @DescriptionField()
  description?: string;
}
