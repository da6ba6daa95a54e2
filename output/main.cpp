#include <stdlib.h>
#include "objects.h"
#include <ctime>
#include <time.h>

#include "run.h"
#include "brianlib/common_math.h"
#include "randomkit.h"

#include "code_objects/neurongroup_1_group_variable_set_conditional_codeobject.h"
#include "code_objects/neurongroup_1_spike_resetter_codeobject.h"
#include "code_objects/neurongroup_1_spike_thresholder_codeobject.h"
#include "code_objects/after_run_neurongroup_1_spike_thresholder_codeobject.h"
#include "code_objects/neurongroup_1_stateupdater_codeobject.h"
#include "code_objects/spikemonitor_codeobject.h"


#include <iostream>
#include <fstream>
#include <string>




int main(int argc, char **argv)
{
        

	brian_start();
        

	{
		using namespace brian;

		
                
        _array_defaultclock_dt[0] = 0.0001;
        _array_defaultclock_dt[0] = 0.0001;
        _array_defaultclock_dt[0] = 0.0001;
        for (int _i=0; _i<1; _i++)
            rk_seed(1L + _i, brian::_mersenne_twister_states[_i]);
        _run_neurongroup_1_group_variable_set_conditional_codeobject();
        
                        
                        for(int i=0; i<_num__array_neurongroup_1_I; i++)
                        {
                            _array_neurongroup_1_I[i] = 55.0;
                        }
                        
        _array_defaultclock_timestep[0] = 0;
        _array_defaultclock_t[0] = 0.0;
        network.clear();
        network.add(&defaultclock, _run_neurongroup_1_stateupdater_codeobject);
        network.add(&defaultclock, _run_neurongroup_1_spike_thresholder_codeobject);
        network.add(&defaultclock, _run_spikemonitor_codeobject);
        network.add(&defaultclock, _run_neurongroup_1_spike_resetter_codeobject);
        network.run(0.01, NULL, 10.0);
        _after_run_neurongroup_1_spike_thresholder_codeobject();
        #ifdef DEBUG
        _debugmsg_spikemonitor_codeobject();
        #endif

	}
        

	brian_end();
        

	return 0;
}